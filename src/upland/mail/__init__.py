"""Outbound e-mail, shared by every area: messages are rendered and stored in the caller's
transaction, then sent by a job after commit (`service`), over SMTP or into the outbox folder
(`transport`). The core never imports an area; areas call `queue_message`."""

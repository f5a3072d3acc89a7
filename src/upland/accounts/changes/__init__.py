"""The audit log and organisations' histories as pages."""

"""Marketplace: offers and requests, their lifecycle, visibility, access requests, attachments."""

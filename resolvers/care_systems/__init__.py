"""What care systems do through the API: send to inboxes for their care units (R-100)."""

"""Directory pages: `public` (no login, residents) and `staff` (editing, verifying, importing)."""

"""What the web pages and the commands do to the database, without HTTP."""

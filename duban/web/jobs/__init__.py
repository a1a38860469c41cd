"""Background jobs of the web application: import, draft — anything that may take more than a couple of seconds."""

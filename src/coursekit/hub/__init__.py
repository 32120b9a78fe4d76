"""Running the course on one JupyterHub machine: accounts, folders, permissions, and a private submit."""

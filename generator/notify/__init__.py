"""What goes to the client besides the page: the share message and its ready links."""

"""The Orders tab: the order table (workspace, model, loader), the order details panel and the
export dialog."""

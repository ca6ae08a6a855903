"""The seller's own labels on orders in the window: tags (the rows' Tags submenu, Ctrl+G,
"Manage tags…", the Tags column's chips) and the private note (edited on the details panel),
written off the GUI thread by `controller.OrderLabelling`."""

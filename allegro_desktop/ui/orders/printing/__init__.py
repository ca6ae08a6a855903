"""Printing from the Orders tab: packing slips and the pick list of the chosen orders, to a
printer or a PDF file (`dialog.PrintDialog`, opened by `controller.PrintController`; the work
in `job.PrintJob`, the printer's side in `printer`)."""

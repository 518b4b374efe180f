"""Printable PDFs: one renderer for any document made of header fields, grouped lines with
figures and totals. Pure: it prints the strings it is given and computes nothing."""

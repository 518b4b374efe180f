"""/invoices, /payments, /credit-notes, customer balances and credit, receivables reports."""

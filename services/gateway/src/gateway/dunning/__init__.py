"""/dunning: overdue invoices per customer, dunning runs and their reminders (PDF)."""

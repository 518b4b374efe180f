"""/requests: customer requests, quoted or lost; /reports/lost-demand."""

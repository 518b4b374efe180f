"""/tasks: office staff's tasks on sales orders, quotes and customer requests, kept by the orders
service."""

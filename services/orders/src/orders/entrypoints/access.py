"""Who may call each RPC of orders.v1.OrdersService, orders.v1.CustomersService and
orders.v1.TasksService (servicekit.access). Sales, sales managers and the order desk place and
change orders, within the reach orders.domain.rights gives each; finance releases credit holds,
records costs and keeps customers' credit terms; the warehouse and purchasing read orders without
prices; an admin replaces pipelines; every office role keeps tasks and reads the timeline of an
order it reaches. The WooCommerce connector (service `woocommerce`) places its stores' orders,
reads and cancels them, and registers their customers; registered clients holding `orders:read`
read orders, their timelines and customers."""

from oms.orders.v1 import customers_pb2, orders_pb2, tasks_pb2
from servicekit.access import EVERY_ROLE, AccessTable, allow

READ = "orders:read"
SELLERS = ("sales", "sales-manager", "order-desk")
# Sales channels' services: they place, read and cancel their own orders.
CHANNELS = ("woocommerce",)

ORDERS_ACCESS = AccessTable(
    orders_pb2.DESCRIPTOR.services_by_name["OrdersService"],
    {
        "PlaceSalesOrder": allow(*SELLERS, services=CHANNELS),
        "GetSalesOrder": allow(*EVERY_ROLE, services=CHANNELS, scope=READ),
        "ListSalesOrders": allow(*EVERY_ROLE, scope=READ),
        # the pipeline says who makes which move; finance releases credit holds
        "TransitionSalesOrder": allow(*SELLERS, "finance"),
        "GetSalesOrderHistory": allow(*SELLERS, "finance", scope=READ),
        # the pipeline says who cancels (the built-in ones: the order desk)
        "CancelSalesOrder": allow(*SELLERS, services=CHANNELS),
        "ChangeSalesOrder": allow(*SELLERS),
        "AuthorizeReturn": allow("order-desk"),
        "RecordOrderCost": allow("order-desk", "finance"),
        "GetCostReport": allow("order-desk", "finance", scope=READ),
        "GetSalesForecast": allow(*SELLERS, "finance", scope=READ),
        "GetPipeline": allow(*EVERY_ROLE, scope=READ),
        "SetPipeline": allow(),  # an admin's
        # the order desk sees and retries the saga's stalled steps
        "ListStalledSteps": allow("order-desk", scope=READ),
        "RetryStalledSteps": allow("order-desk"),
        # every reader of the order, within their reach (application.queries.timeline)
        "GetOrderTimeline": allow(*EVERY_ROLE, scope=READ),
    },
)

CUSTOMERS_ACCESS = AccessTable(
    customers_pb2.DESCRIPTOR.services_by_name["CustomersService"],
    {
        # only finance sets credit limits and payment terms (application.customers)
        "CreateCustomer": allow(*SELLERS, "finance", services=CHANNELS),
        "UpdateCustomer": allow(*SELLERS, "finance"),
        # the warehouse reads addresses
        "GetCustomer": allow(*SELLERS, "finance", "warehouse", scope=READ),
        "ListCustomers": allow(*SELLERS, "finance", "warehouse", scope=READ),
    },
)

# Tasks are people's: every office role creates and lists them; which tasks each sees and
# changes (their own, or all for a manager) is orders.domain.tasks' rule.
TASKS_ACCESS = AccessTable(
    tasks_pb2.DESCRIPTOR.services_by_name["TasksService"],
    {
        "CreateTask": allow(*EVERY_ROLE),
        "GetTask": allow(*EVERY_ROLE),
        "UpdateTask": allow(*EVERY_ROLE),
        "ListTasks": allow(*EVERY_ROLE),
    },
)

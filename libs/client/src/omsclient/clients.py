"""A typed async client per service. Each declares every RPC of its service (a unit test keeps
them complete); the names are the RPCs' in snake_case, the types the contract's. What a
registered client may call is its scopes' reads (`orders:read`, ...); see docs/reference/ for
every RPC, its fields and who may call it."""

from __future__ import annotations

from typing import ClassVar

from google.protobuf.descriptor import ServiceDescriptor

from oms.audit.v1 import audit_pb2
from oms.billing.v1 import billing_pb2
from oms.catalog.v1 import catalog_pb2
from oms.inventory.v1 import inventory_pb2
from oms.orders.v1 import customers_pb2, orders_pb2
from oms.procurement.v1 import procurement_pb2
from oms.quoting.v1 import quoting_pb2
from omsclient.rpc import Rpc, ServiceClient


class CatalogClient(ServiceClient):
    """catalog: products, variants, categories, pictures, price lists, prices and tax rules
    (catalog:read)."""

    services: ClassVar[tuple[ServiceDescriptor, ...]] = (
        catalog_pb2.DESCRIPTOR.services_by_name["CatalogService"],
    )
    create_product = Rpc(catalog_pb2.CreateProductRequest, catalog_pb2.CreateProductResponse)
    get_product = Rpc(catalog_pb2.GetProductRequest, catalog_pb2.GetProductResponse)
    batch_get_products = Rpc(
        catalog_pb2.BatchGetProductsRequest, catalog_pb2.BatchGetProductsResponse
    )
    list_products = Rpc(catalog_pb2.ListProductsRequest, catalog_pb2.ListProductsResponse)
    create_category = Rpc(catalog_pb2.CreateCategoryRequest, catalog_pb2.CreateCategoryResponse)
    list_categories = Rpc(catalog_pb2.ListCategoriesRequest, catalog_pb2.ListCategoriesResponse)
    search_products = Rpc(catalog_pb2.SearchProductsRequest, catalog_pb2.SearchProductsResponse)
    change_product = Rpc(catalog_pb2.ChangeProductRequest, catalog_pb2.ChangeProductResponse)
    change_list_price = Rpc(catalog_pb2.ChangeListPriceRequest, catalog_pb2.ChangeListPriceResponse)
    discontinue_product = Rpc(
        catalog_pb2.DiscontinueProductRequest, catalog_pb2.DiscontinueProductResponse
    )
    create_price_list = Rpc(catalog_pb2.CreatePriceListRequest, catalog_pb2.CreatePriceListResponse)
    resolve_price = Rpc(catalog_pb2.ResolvePriceRequest, catalog_pb2.ResolvePriceResponse)
    resolve_prices = Rpc(catalog_pb2.ResolvePricesRequest, catalog_pb2.ResolvePricesResponse)
    list_variants = Rpc(catalog_pb2.ListVariantsRequest, catalog_pb2.ListVariantsResponse)
    set_product_suppliers = Rpc(
        catalog_pb2.SetProductSuppliersRequest, catalog_pb2.SetProductSuppliersResponse
    )
    add_picture = Rpc(catalog_pb2.AddPictureRequest, catalog_pb2.AddPictureResponse)
    get_picture_content = Rpc(
        catalog_pb2.GetPictureContentRequest, catalog_pb2.GetPictureContentResponse
    )
    list_price_lists = Rpc(catalog_pb2.ListPriceListsRequest, catalog_pb2.ListPriceListsResponse)
    get_price_list = Rpc(catalog_pb2.GetPriceListRequest, catalog_pb2.GetPriceListResponse)
    create_tax_rule = Rpc(catalog_pb2.CreateTaxRuleRequest, catalog_pb2.CreateTaxRuleResponse)
    list_tax_rules = Rpc(catalog_pb2.ListTaxRulesRequest, catalog_pb2.ListTaxRulesResponse)
    resolve_taxes = Rpc(catalog_pb2.ResolveTaxesRequest, catalog_pb2.ResolveTaxesResponse)


class QuotingClient(ServiceClient):
    """quoting: quotes, their versions and templates, rendered PDFs, customer requests
    (quoting:read)."""

    services: ClassVar[tuple[ServiceDescriptor, ...]] = (
        quoting_pb2.DESCRIPTOR.services_by_name["QuotingService"],
    )
    create_quote = Rpc(quoting_pb2.CreateQuoteRequest, quoting_pb2.CreateQuoteResponse)
    get_quote = Rpc(quoting_pb2.GetQuoteRequest, quoting_pb2.GetQuoteResponse)
    list_quotes = Rpc(quoting_pb2.ListQuotesRequest, quoting_pb2.ListQuotesResponse)
    update_quote = Rpc(quoting_pb2.UpdateQuoteRequest, quoting_pb2.UpdateQuoteResponse)
    send_quote = Rpc(quoting_pb2.SendQuoteRequest, quoting_pb2.SendQuoteResponse)
    revise_quote = Rpc(quoting_pb2.ReviseQuoteRequest, quoting_pb2.ReviseQuoteResponse)
    accept_quote = Rpc(quoting_pb2.AcceptQuoteRequest, quoting_pb2.AcceptQuoteResponse)
    reject_quote = Rpc(quoting_pb2.RejectQuoteRequest, quoting_pb2.RejectQuoteResponse)
    save_template = Rpc(quoting_pb2.SaveTemplateRequest, quoting_pb2.SaveTemplateResponse)
    list_templates = Rpc(quoting_pb2.ListTemplatesRequest, quoting_pb2.ListTemplatesResponse)
    render_quote = Rpc(quoting_pb2.RenderQuoteRequest, quoting_pb2.RenderQuoteResponse)
    decide_quote_discount = Rpc(
        quoting_pb2.DecideQuoteDiscountRequest, quoting_pb2.DecideQuoteDiscountResponse
    )
    register_request = Rpc(quoting_pb2.RegisterRequestRequest, quoting_pb2.RegisterRequestResponse)
    get_request = Rpc(quoting_pb2.GetRequestRequest, quoting_pb2.GetRequestResponse)
    list_requests = Rpc(quoting_pb2.ListRequestsRequest, quoting_pb2.ListRequestsResponse)
    mark_request_lost = Rpc(quoting_pb2.MarkRequestLostRequest, quoting_pb2.MarkRequestLostResponse)
    quote_request = Rpc(quoting_pb2.QuoteRequestRequest, quoting_pb2.QuoteRequestResponse)
    lost_demand_report = Rpc(
        quoting_pb2.LostDemandReportRequest, quoting_pb2.LostDemandReportResponse
    )


class OrdersClient(ServiceClient):
    """orders: sales orders, their history, costs, forecast and pipelines; customers
    (orders:read)."""

    services: ClassVar[tuple[ServiceDescriptor, ...]] = (
        orders_pb2.DESCRIPTOR.services_by_name["OrdersService"],
        customers_pb2.DESCRIPTOR.services_by_name["CustomersService"],
    )

    # OrdersService
    place_sales_order = Rpc(orders_pb2.PlaceSalesOrderRequest, orders_pb2.PlaceSalesOrderResponse)
    get_sales_order = Rpc(orders_pb2.GetSalesOrderRequest, orders_pb2.GetSalesOrderResponse)
    list_stalled_steps = Rpc(
        orders_pb2.ListStalledStepsRequest, orders_pb2.ListStalledStepsResponse
    )
    retry_stalled_steps = Rpc(
        orders_pb2.RetryStalledStepsRequest, orders_pb2.RetryStalledStepsResponse
    )
    list_sales_orders = Rpc(orders_pb2.ListSalesOrdersRequest, orders_pb2.ListSalesOrdersResponse)
    get_order_timeline = Rpc(
        orders_pb2.GetOrderTimelineRequest, orders_pb2.GetOrderTimelineResponse
    )
    transition_sales_order = Rpc(
        orders_pb2.TransitionSalesOrderRequest, orders_pb2.TransitionSalesOrderResponse
    )
    get_sales_order_history = Rpc(
        orders_pb2.GetSalesOrderHistoryRequest, orders_pb2.GetSalesOrderHistoryResponse
    )
    cancel_sales_order = Rpc(
        orders_pb2.CancelSalesOrderRequest, orders_pb2.CancelSalesOrderResponse
    )
    change_sales_order = Rpc(
        orders_pb2.ChangeSalesOrderRequest, orders_pb2.ChangeSalesOrderResponse
    )
    authorize_return = Rpc(orders_pb2.AuthorizeReturnRequest, orders_pb2.AuthorizeReturnResponse)
    record_order_cost = Rpc(orders_pb2.RecordOrderCostRequest, orders_pb2.RecordOrderCostResponse)
    get_cost_report = Rpc(orders_pb2.GetCostReportRequest, orders_pb2.GetCostReportResponse)
    get_sales_forecast = Rpc(
        orders_pb2.GetSalesForecastRequest, orders_pb2.GetSalesForecastResponse
    )
    get_pipeline = Rpc(orders_pb2.GetPipelineRequest, orders_pb2.GetPipelineResponse)
    set_pipeline = Rpc(orders_pb2.SetPipelineRequest, orders_pb2.SetPipelineResponse)

    # CustomersService
    create_customer = Rpc(customers_pb2.CreateCustomerRequest, customers_pb2.CreateCustomerResponse)
    get_customer = Rpc(customers_pb2.GetCustomerRequest, customers_pb2.GetCustomerResponse)
    list_customers = Rpc(customers_pb2.ListCustomersRequest, customers_pb2.ListCustomersResponse)
    update_customer = Rpc(customers_pb2.UpdateCustomerRequest, customers_pb2.UpdateCustomerResponse)


class InventoryClient(ServiceClient):
    """inventory: warehouses, stock, availability, reservations and shipments (inventory:read)."""

    services: ClassVar[tuple[ServiceDescriptor, ...]] = (
        inventory_pb2.DESCRIPTOR.services_by_name["InventoryService"],
    )
    create_warehouse = Rpc(
        inventory_pb2.CreateWarehouseRequest, inventory_pb2.CreateWarehouseResponse
    )
    list_warehouses = Rpc(inventory_pb2.ListWarehousesRequest, inventory_pb2.ListWarehousesResponse)
    adjust_stock = Rpc(inventory_pb2.AdjustStockRequest, inventory_pb2.AdjustStockResponse)
    get_stock = Rpc(inventory_pb2.GetStockRequest, inventory_pb2.GetStockResponse)
    ship_order = Rpc(inventory_pb2.ShipOrderRequest, inventory_pb2.ShipOrderResponse)
    list_shipments = Rpc(inventory_pb2.ListShipmentsRequest, inventory_pb2.ListShipmentsResponse)
    receive_goods = Rpc(inventory_pb2.ReceiveGoodsRequest, inventory_pb2.ReceiveGoodsResponse)
    transfer_stock = Rpc(inventory_pb2.TransferStockRequest, inventory_pb2.TransferStockResponse)
    set_reorder_point = Rpc(
        inventory_pb2.SetReorderPointRequest, inventory_pb2.SetReorderPointResponse
    )
    expect_goods = Rpc(inventory_pb2.ExpectGoodsRequest, inventory_pb2.ExpectGoodsResponse)
    list_reservations = Rpc(
        inventory_pb2.ListReservationsRequest, inventory_pb2.ListReservationsResponse
    )
    get_availability = Rpc(
        inventory_pb2.GetAvailabilityRequest, inventory_pb2.GetAvailabilityResponse
    )
    update_shipment_status = Rpc(
        inventory_pb2.UpdateShipmentStatusRequest, inventory_pb2.UpdateShipmentStatusResponse
    )
    receive_return = Rpc(inventory_pb2.ReceiveReturnRequest, inventory_pb2.ReceiveReturnResponse)


class BillingClient(ServiceClient):
    """billing: invoices, payments, credit notes, balances, ageing, revenue, supplier bills and
    exchange rates (billing:read)."""

    services: ClassVar[tuple[ServiceDescriptor, ...]] = (
        billing_pb2.DESCRIPTOR.services_by_name["BillingService"],
    )
    get_invoice = Rpc(billing_pb2.GetInvoiceRequest, billing_pb2.GetInvoiceResponse)
    apply_supplier_advance = Rpc(
        billing_pb2.ApplySupplierAdvanceRequest, billing_pb2.ApplySupplierAdvanceResponse
    )
    import_exchange_rates = Rpc(
        billing_pb2.ImportExchangeRatesRequest, billing_pb2.ImportExchangeRatesResponse
    )
    list_overdue = Rpc(billing_pb2.ListOverdueRequest, billing_pb2.ListOverdueResponse)
    run_dunning = Rpc(billing_pb2.RunDunningRequest, billing_pb2.RunDunningResponse)
    list_reminders = Rpc(billing_pb2.ListRemindersRequest, billing_pb2.ListRemindersResponse)
    render_reminder = Rpc(billing_pb2.RenderReminderRequest, billing_pb2.RenderDocumentResponse)
    list_invoices = Rpc(billing_pb2.ListInvoicesRequest, billing_pb2.ListInvoicesResponse)
    record_payment = Rpc(billing_pb2.RecordPaymentRequest, billing_pb2.RecordPaymentResponse)
    list_payments = Rpc(billing_pb2.ListPaymentsRequest, billing_pb2.ListPaymentsResponse)
    get_payment = Rpc(billing_pb2.GetPaymentRequest, billing_pb2.GetPaymentResponse)
    list_credit_notes = Rpc(billing_pb2.ListCreditNotesRequest, billing_pb2.ListCreditNotesResponse)
    get_credit_note = Rpc(billing_pb2.GetCreditNoteRequest, billing_pb2.GetCreditNoteResponse)
    get_customer_balance = Rpc(
        billing_pb2.GetCustomerBalanceRequest, billing_pb2.GetCustomerBalanceResponse
    )
    record_customer_payment = Rpc(
        billing_pb2.RecordCustomerPaymentRequest, billing_pb2.RecordCustomerPaymentResponse
    )
    unallocate_payment = Rpc(
        billing_pb2.UnallocatePaymentRequest, billing_pb2.UnallocatePaymentResponse
    )
    apply_customer_credit = Rpc(
        billing_pb2.ApplyCustomerCreditRequest, billing_pb2.ApplyCustomerCreditResponse
    )
    issue_credit_note = Rpc(billing_pb2.IssueCreditNoteRequest, billing_pb2.IssueCreditNoteResponse)
    get_ar_aging = Rpc(billing_pb2.GetArAgingRequest, billing_pb2.GetArAgingResponse)
    get_revenue_report = Rpc(
        billing_pb2.GetRevenueReportRequest, billing_pb2.GetRevenueReportResponse
    )
    render_invoice = Rpc(billing_pb2.RenderInvoiceRequest, billing_pb2.RenderDocumentResponse)
    render_credit_note = Rpc(
        billing_pb2.RenderCreditNoteRequest, billing_pb2.RenderDocumentResponse
    )
    record_bill = Rpc(billing_pb2.RecordBillRequest, billing_pb2.RecordBillResponse)
    release_bill = Rpc(billing_pb2.ReleaseBillRequest, billing_pb2.ReleaseBillResponse)
    get_bill = Rpc(billing_pb2.GetBillRequest, billing_pb2.GetBillResponse)
    list_bills = Rpc(billing_pb2.ListBillsRequest, billing_pb2.ListBillsResponse)
    record_supplier_payment = Rpc(
        billing_pb2.RecordSupplierPaymentRequest, billing_pb2.RecordSupplierPaymentResponse
    )
    list_supplier_payments = Rpc(
        billing_pb2.ListSupplierPaymentsRequest, billing_pb2.ListSupplierPaymentsResponse
    )
    get_ap_aging = Rpc(billing_pb2.GetApAgingRequest, billing_pb2.GetApAgingResponse)
    set_exchange_rate = Rpc(billing_pb2.SetExchangeRateRequest, billing_pb2.SetExchangeRateResponse)
    list_exchange_rates = Rpc(
        billing_pb2.ListExchangeRatesRequest, billing_pb2.ListExchangeRatesResponse
    )


class ProcurementClient(ServiceClient):
    """procurement: suppliers, RFQs, contracts, purchase orders, reorder rules
    (procurement:read)."""

    services: ClassVar[tuple[ServiceDescriptor, ...]] = (
        procurement_pb2.DESCRIPTOR.services_by_name["ProcurementService"],
    )
    reduce_purchase_order_line = Rpc(
        procurement_pb2.ReducePurchaseOrderLineRequest,
        procurement_pb2.ReducePurchaseOrderLineResponse,
    )
    create_supplier = Rpc(
        procurement_pb2.CreateSupplierRequest, procurement_pb2.CreateSupplierResponse
    )
    get_supplier = Rpc(procurement_pb2.GetSupplierRequest, procurement_pb2.GetSupplierResponse)
    list_suppliers = Rpc(
        procurement_pb2.ListSuppliersRequest, procurement_pb2.ListSuppliersResponse
    )
    update_supplier = Rpc(
        procurement_pb2.UpdateSupplierRequest, procurement_pb2.UpdateSupplierResponse
    )
    create_rfq = Rpc(procurement_pb2.CreateRfqRequest, procurement_pb2.CreateRfqResponse)
    get_rfq = Rpc(procurement_pb2.GetRfqRequest, procurement_pb2.GetRfqResponse)
    list_rfqs = Rpc(procurement_pb2.ListRfqsRequest, procurement_pb2.ListRfqsResponse)
    record_proposal = Rpc(
        procurement_pb2.RecordProposalRequest, procurement_pb2.RecordProposalResponse
    )
    compare_proposals = Rpc(
        procurement_pb2.CompareProposalsRequest, procurement_pb2.CompareProposalsResponse
    )
    award_proposal = Rpc(
        procurement_pb2.AwardProposalRequest, procurement_pb2.AwardProposalResponse
    )
    create_contract = Rpc(
        procurement_pb2.CreateContractRequest, procurement_pb2.CreateContractResponse
    )
    list_contracts = Rpc(
        procurement_pb2.ListContractsRequest, procurement_pb2.ListContractsResponse
    )
    create_purchase_order = Rpc(
        procurement_pb2.CreatePurchaseOrderRequest, procurement_pb2.CreatePurchaseOrderResponse
    )
    get_purchase_order = Rpc(
        procurement_pb2.GetPurchaseOrderRequest, procurement_pb2.GetPurchaseOrderResponse
    )
    list_purchase_orders = Rpc(
        procurement_pb2.ListPurchaseOrdersRequest, procurement_pb2.ListPurchaseOrdersResponse
    )
    update_purchase_order = Rpc(
        procurement_pb2.UpdatePurchaseOrderRequest, procurement_pb2.UpdatePurchaseOrderResponse
    )
    send_purchase_order = Rpc(
        procurement_pb2.SendPurchaseOrderRequest, procurement_pb2.SendPurchaseOrderResponse
    )
    cancel_purchase_order = Rpc(
        procurement_pb2.CancelPurchaseOrderRequest, procurement_pb2.CancelPurchaseOrderResponse
    )
    set_reorder_rule = Rpc(
        procurement_pb2.SetReorderRuleRequest, procurement_pb2.SetReorderRuleResponse
    )
    list_reorder_rules = Rpc(
        procurement_pb2.ListReorderRulesRequest, procurement_pb2.ListReorderRulesResponse
    )


class AuditClient(ServiceClient):
    """The change log one service keeps of its own entities (audit:read): every service serves
    it, so connect to the address of the service whose entities you want."""

    services: ClassVar[tuple[ServiceDescriptor, ...]] = (
        audit_pb2.DESCRIPTOR.services_by_name["AuditService"],
    )
    list_audit_entries = Rpc(audit_pb2.ListAuditEntriesRequest, audit_pb2.ListAuditEntriesResponse)

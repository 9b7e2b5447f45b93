//! `quickbooks`: 11 actions over `customers`, `invoices` and `items`.

use alloy_quickbooks::Quickbooks;
use alloy_quickbooks::customers::{
    CreateCustomerParams, GetCustomerParams, QueryCustomersParams, UpdateCustomerParams,
};
use alloy_quickbooks::invoices::{
    CreateInvoiceParams, GetInvoiceParams, QueryInvoicesParams, SendInvoiceParams,
};
use alloy_quickbooks::items::{CreateItemParams, GetItemParams, QueryItemsParams};
use serde_json::Value;

use super::{CallFailure, Called, called, typed};

/// A realm (company) id: digits, as the path parameter's pattern asks.
const REALM: &str = "9130357766900456";

pub async fn call(
    q: &Quickbooks,
    action: &str,
    body: Option<&Value>,
) -> Result<Called, CallFailure> {
    let customers = q.customers();
    let invoices = q.invoices();
    let items = q.items();
    match action {
        "createCustomer" => {
            let params = CreateCustomerParams::new(REALM).minorversion(75);
            called(customers.create_customer(&params, &typed(body)?).await)
        }
        "getCustomer" => called(
            customers
                .get_customer(&GetCustomerParams::new(REALM, "58"))
                .await,
        ),
        "updateCustomer" => {
            let params = UpdateCustomerParams::new(REALM);
            called(customers.update_customer(&params, &typed(body)?).await)
        }
        "queryCustomers" => {
            let params = QueryCustomersParams::new(REALM, "select * from Customer");
            called(customers.query_customers(&params).await)
        }
        "createInvoice" => {
            let params = CreateInvoiceParams::new(REALM).requestid("e2e-create-invoice");
            called(invoices.create_invoice(&params, &typed(body)?).await)
        }
        "getInvoice" => called(
            invoices
                .get_invoice(&GetInvoiceParams::new(REALM, "130"))
                .await,
        ),
        "queryInvoices" => {
            let params = QueryInvoicesParams::new(REALM, "select * from Invoice");
            called(invoices.query_invoices(&params).await)
        }
        "sendInvoice" => called(
            invoices
                .send_invoice(&SendInvoiceParams::new(REALM, "130"))
                .await,
        ),
        "createItem" => {
            let params = CreateItemParams::new(REALM);
            called(items.create_item(&params, &typed(body)?).await)
        }
        "getItem" => called(items.get_item(&GetItemParams::new(REALM, "19")).await),
        "queryItems" => {
            let params = QueryItemsParams::new(REALM, "select * from Item");
            called(items.query_items(&params).await)
        }
        _ => Err(CallFailure::Unknown),
    }
}

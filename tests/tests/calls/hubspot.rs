//! `hubspot`: 13 actions over `contacts` and `companies`.

use alloy_hubspot::Hubspot;
use alloy_hubspot::companies::{
    DeleteCompanyParams, GetCompanyParams, ListCompaniesParams, UpdateCompanyParams,
};
use alloy_hubspot::contacts::{
    DeleteContactParams, GetContactParams, ListContactsParams, UpdateContactParams,
};
use serde_json::Value;

use super::{CallFailure, Called, called, typed};

pub async fn call(h: &Hubspot, action: &str, body: Option<&Value>) -> Result<Called, CallFailure> {
    let contacts = h.contacts();
    let companies = h.companies();
    match action {
        "createContact" => called(contacts.create_contact(&typed(body)?).await),
        "listContacts" => {
            let params = ListContactsParams::new().limit(10).archived(false);
            called(contacts.list_contacts(&params).await)
        }
        "getContact" => called(contacts.get_contact(&GetContactParams::new("512")).await),
        "updateContact" => {
            let params = UpdateContactParams::new("512");
            called(contacts.update_contact(&params, &typed(body)?).await)
        }
        "deleteContact" => called(
            contacts
                .delete_contact(&DeleteContactParams::new("512"))
                .await,
        ),
        "searchContacts" => called(contacts.search_contacts(&typed(body)?).await),
        "gdprDeleteContacts" => called(contacts.gdpr_delete_contacts(&typed(body)?).await),
        "createCompany" => called(companies.create_company(&typed(body)?).await),
        "listCompanies" => called(companies.list_companies(&ListCompaniesParams::new()).await),
        "getCompany" => called(companies.get_company(&GetCompanyParams::new("9001")).await),
        "updateCompany" => {
            let params = UpdateCompanyParams::new("9001");
            called(companies.update_company(&params, &typed(body)?).await)
        }
        "deleteCompany" => called(
            companies
                .delete_company(&DeleteCompanyParams::new("9001"))
                .await,
        ),
        "searchCompanies" => called(companies.search_companies(&typed(body)?).await),
        _ => Err(CallFailure::Unknown),
    }
}

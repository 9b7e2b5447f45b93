//! `freshdesk`: 13 actions over tickets, conversations, contacts and companies.

use alloy_freshdesk::Freshdesk;
use alloy_freshdesk::companies::GetCompanyParams;
use alloy_freshdesk::contacts::{GetContactParams, ListContactsParams};
use alloy_freshdesk::conversations::{
    CreateTicketNoteParams, ListTicketConversationsParams, ReplyToTicketParams,
};
use alloy_freshdesk::tickets::{
    DeleteTicketParams, GetTicketParams, ListTicketsParams, UpdateTicketParams,
};
use serde_json::Value;

use super::{CallFailure, Called, called, typed};

const TICKET: i64 = 20;

pub async fn call(
    f: &Freshdesk,
    action: &str,
    body: Option<&Value>,
) -> Result<Called, CallFailure> {
    let tickets = f.tickets();
    let conversations = f.conversations();
    match action {
        "createTicket" => called(tickets.create_ticket(&typed(body)?).await),
        "listTickets" => {
            let params = ListTicketsParams::new().page(2).per_page(30);
            called(tickets.list_tickets(&params).await)
        }
        "getTicket" => called(tickets.get_ticket(&GetTicketParams::new(TICKET)).await),
        "updateTicket" => {
            let params = UpdateTicketParams::new(TICKET);
            called(tickets.update_ticket(&params, &typed(body)?).await)
        }
        "deleteTicket" => called(
            tickets
                .delete_ticket(&DeleteTicketParams::new(TICKET))
                .await,
        ),
        "replyToTicket" => {
            let params = ReplyToTicketParams::new(TICKET);
            called(conversations.reply_to_ticket(&params, &typed(body)?).await)
        }
        "createTicketNote" => {
            let params = CreateTicketNoteParams::new(TICKET);
            called(
                conversations
                    .create_ticket_note(&params, &typed(body)?)
                    .await,
            )
        }
        "listTicketConversations" => {
            let params = ListTicketConversationsParams::new(TICKET);
            called(conversations.list_ticket_conversations(&params).await)
        }
        "createContact" => called(f.contacts().create_contact(&typed(body)?).await),
        "listContacts" => called(f.contacts().list_contacts(&ListContactsParams::new()).await),
        "getContact" => called(f.contacts().get_contact(&GetContactParams::new(432)).await),
        "createCompany" => called(f.companies().create_company(&typed(body)?).await),
        "getCompany" => called(f.companies().get_company(&GetCompanyParams::new(8)).await),
        _ => Err(CallFailure::Unknown),
    }
}

//! `shippo`: 12 actions over addresses, parcels, shipments, rates, transactions and tracks.

use alloy_shippo::Shippo;
use alloy_shippo::addresses::{
    CreateAddressParams, GetAddressParams, ListAddressesParams, ValidateAddressParams,
};
use alloy_shippo::parcels::{CreateParcelParams, GetParcelParams};
use alloy_shippo::rates::ListShipmentRatesParams;
use alloy_shippo::shipments::{CreateShipmentParams, GetShipmentParams};
use alloy_shippo::tracks::GetTrackParams;
use alloy_shippo::transactions::{CreateTransactionParams, GetTransactionParams};
use serde_json::Value;

use super::{CallFailure, Called, called, typed};

const OBJECT_ID: &str = "d799c2679e644279b59fe661ac8fa488";

pub async fn call(s: &Shippo, action: &str, body: Option<&Value>) -> Result<Called, CallFailure> {
    match action {
        "createAddress" => {
            let params = CreateAddressParams::new();
            called(s.addresses().create_address(&params, &typed(body)?).await)
        }
        "listAddresses" => {
            let params = ListAddressesParams::new().page(1).results(5);
            called(s.addresses().list_addresses(&params).await)
        }
        "getAddress" => {
            let params = GetAddressParams::new(OBJECT_ID).shippo_api_version("2018-02-08");
            called(s.addresses().get_address(&params).await)
        }
        "validateAddress" => {
            let params = ValidateAddressParams::new(OBJECT_ID);
            called(s.addresses().validate_address(&params).await)
        }
        "createParcel" => {
            let params = CreateParcelParams::new();
            called(s.parcels().create_parcel(&params, &typed(body)?).await)
        }
        "getParcel" => called(
            s.parcels()
                .get_parcel(&GetParcelParams::new(OBJECT_ID))
                .await,
        ),
        "createShipment" => {
            let params = CreateShipmentParams::new();
            called(s.shipments().create_shipment(&params, &typed(body)?).await)
        }
        "getShipment" => called(
            s.shipments()
                .get_shipment(&GetShipmentParams::new(OBJECT_ID))
                .await,
        ),
        "listShipmentRates" => {
            let params = ListShipmentRatesParams::new(OBJECT_ID);
            called(s.rates().list_shipment_rates(&params).await)
        }
        "createTransaction" => {
            let params = CreateTransactionParams::new();
            called(
                s.transactions()
                    .create_transaction(&params, &typed(body)?)
                    .await,
            )
        }
        "getTransaction" => {
            let params = GetTransactionParams::new(OBJECT_ID);
            called(s.transactions().get_transaction(&params).await)
        }
        "getTrack" => {
            let params = GetTrackParams::new("usps", "9205590164917312751089");
            called(s.tracks().get_track(&params).await)
        }
        _ => Err(CallFailure::Unknown),
    }
}

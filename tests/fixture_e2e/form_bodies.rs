//! Runs inside the crate generated from `tests/fixtures/form_bodies.yaml` (see
//! `tests/compile_fixtures.rs`): form bodies and deepObject query parameters as a loopback server
//! receives them.

use std::collections::BTreeMap;

use fixture_form_bodies::customers::{CreateBody, CreateBodyAddress, CreateBodyMetadata, ListCreated, ListCreatedObject};
use fixture_form_bodies::invoiceitems::{CreateBody as ItemBody, CreateBodyDiscountsItem, CreateBodyPriceData};
use fixture_form_bodies::types::Note;
use fixture_form_bodies::Client;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    let customer = serde_json::json!({"id": "cus_1", "metadata": {}});
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(customer)).mount(&server).await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).build().unwrap()
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "exactly one request");
    requests.remove(0)
}

fn content_type(request: &Request) -> &str {
    request.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default()
}

/// The body as a form decoder reads it.
fn decoded(request: &Request) -> Vec<(String, String)> {
    url::form_urlencoded::parse(&request.body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

/// Fields arrive in the order of their keys (the body is encoded from its JSON form).
fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

#[tokio::test]
async fn a_customer_with_metadata_is_sent_as_a_bracketed_form() {
    let server = server().await;
    let metadata = BTreeMap::from([("order_id".to_owned(), "6735".to_owned()), ("note".to_owned(), "a&b=c [x]".to_owned())]);
    let body = CreateBody {
        email: Some("jenny+rosen@example.com".to_owned()),
        name: Some("Jenny Rosen".to_owned()),
        metadata: Some(CreateBodyMetadata::Object(metadata)),
        expand: Some(vec!["invoice_settings.default_payment_method".to_owned(), "tax".to_owned()]),
        address: Some(CreateBodyAddress { city: Some("Zürich".to_owned()), line1: None }),
        ..CreateBody::default()
    };
    let customer = client(&server).customers().create().body(&body).await.unwrap();
    assert_eq!(customer.id, "cus_1");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(content_type(&request), "application/x-www-form-urlencoded");
    let text = String::from_utf8(request.body.clone()).unwrap();
    assert!(text.contains("metadata[order_id]=6735"), "{text}");
    assert!(text.contains("expand[0]=invoice_settings.default_payment_method"), "{text}");
    assert_eq!(
        decoded(&request),
        pairs(&[
            ("address[city]", "Zürich"),
            ("email", "jenny+rosen@example.com"),
            ("expand[0]", "invoice_settings.default_payment_method"),
            ("expand[1]", "tax"),
            ("metadata[note]", "a&b=c [x]"),
            ("metadata[order_id]", "6735"),
            ("name", "Jenny Rosen"),
        ])
    );
}

#[tokio::test]
async fn an_invoice_item_sends_nested_objects_lists_and_the_form_defaults() {
    let server = server().await;
    let body = ItemBody {
        amount: Some(1500),
        discountable: Some(false),
        discounts: Some(vec![CreateBodyDiscountsItem { coupon: Some("SUMMER".to_owned()), discount: None }]),
        price_data: Some(CreateBodyPriceData { unit_amount: Some(250), ..CreateBodyPriceData::new("usd", "prod_1") }),
        tax_rates: Some(vec!["txr_1".to_owned()]),
        status_callback_event: Some(vec!["initiated".to_owned(), "ringing".to_owned()]),
        tags: Some(vec!["a".to_owned(), "b".to_owned()]),
        ..ItemBody::new("cus_1")
    };
    client(&server).invoiceitems().create(&body).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(content_type(&request), "application/x-www-form-urlencoded");
    assert_eq!(
        decoded(&request),
        pairs(&[
            ("amount", "1500"),
            ("customer", "cus_1"),
            ("discountable", "false"),
            ("discounts[0][coupon]", "SUMMER"),
            ("price_data[currency]", "usd"),
            ("price_data[product]", "prod_1"),
            ("price_data[unit_amount]", "250"),
            // No encoding entry: `form`, exploded (repeated); `pipeDelimited`: joined.
            ("status_callback_event", "initiated"),
            ("status_callback_event", "ringing"),
            ("tags", "a|b"),
            ("tax_rates[0]", "txr_1"),
        ])
    );
}

#[tokio::test]
async fn a_deep_object_query_parameter_is_sent_in_brackets() {
    let server = server().await;
    let created = ListCreated::Object(ListCreatedObject { gt: Some(1_700_000_000), lte: Some(1_800_000_000), ..Default::default() });
    let client = client(&server);
    let list = client.customers().list().created(ListCreated::Integer(1)).created(created).expand(vec!["data.tax".to_owned()]).limit(3);
    // The server answers one customer, not a list: only the request matters here.
    let _ = list.await;
    let request = only_request(&server).await;
    let query: Vec<(String, String)> = request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    assert_eq!(query, pairs(&[("created[gt]", "1700000000"), ("created[lte]", "1800000000"), ("expand[0]", "data.tax"), ("limit", "3")]));
}

#[tokio::test]
async fn json_wins_when_an_operation_offers_both() {
    let server = server().await;
    client(&server).notes().create(&Note { text: "hi".to_owned() }).await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(content_type(&request), "application/json");
    assert_eq!(request.body, br#"{"text":"hi"}"#);
}

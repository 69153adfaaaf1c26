//! Lists a zone's DNS records page by page, then looks one name up with the response's details.
//! Needs only the `dns` area (`default-features = false, features = ["dns"]` in a program).
//!
//! ```sh
//! CLOUDFLARE_API_TOKEN=... cargo run --example dns_records -- <zone_id> [name]
//! ```

use cloudflare_api::{Client, Error};
use futures_util::StreamExt;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let Some(zone_id) = args.next() else {
        eprintln!("usage: dns_records <zone_id> [name]");
        std::process::exit(2);
    };
    let client = Client::from_env()?;

    // Every record, fetched 100 at a time as the stream is read.
    let mut records = client.dns().records().list(&zone_id).per_page(100).items();
    while let Some(record) = records.next().await {
        println!("{:?}", record?);
    }

    // One name, with the status, `cf-ray` and `result_info` of the answer.
    if let Some(name) = args.next() {
        let page = client.dns().records().list(&zone_id).name(&name).send_with_response().await?;
        println!("{} record(s) named {name}; status {}, ray {:?}", page.result().len(), page.status(), page.cf_ray());
    }
    Ok(())
}

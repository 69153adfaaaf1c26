//! Rotates an OAuth client's secret.
//!
//! ```sh
//! CLOUDFLARE_API_TOKEN=... cargo run --example rotate_secret -- <account_id> <oauth_client_id>
//! ```

use cloudflare_api::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let (Some(account_id), Some(oauth_client_id)) = (args.next(), args.next()) else {
        eprintln!("usage: rotate_secret <account_id> <oauth_client_id>");
        std::process::exit(2);
    };
    // CLOUDFLARE_API_TOKEN, or CLOUDFLARE_API_KEY + CLOUDFLARE_EMAIL, or
    // CLOUDFLARE_API_USER_SERVICE_KEY; CLOUDFLARE_BASE_URL overrides the base URL.
    let client = Client::from_env()?;
    let rotated = client.iam().oauth_clients().rotate_secret(&account_id, &oauth_client_id).await?;
    // Debug output redacts the secret; the field itself holds it.
    println!("{rotated:?}");
    if let Some(secret) = rotated.client_secret {
        println!("new secret has {} characters", secret.len());
    }
    Ok(())
}

//! Emits the example checks: an integration test for a generated crate that decodes every
//! response example of the spec into the type its operation returns, the way the client does.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::rooted_type_tokens;
use crate::ir::ExampleCheck;

/// `tests/examples.rs` of the crate `crate_name`: one table row per example, one test over all.
pub fn emit_example_checks(checks: &[ExampleCheck], crate_name: &str) -> TokenStream {
    let krate = format_ident!("{}", crate_name.replace('-', "_"));
    let rows = checks.iter().map(|check| {
        let ty = rooted_type_tokens(&check.ty, &quote!(#krate));
        let ty = if check.nullable { quote!(Option<#ty>) } else { ty };
        let decoder = if check.envelope { quote!(result::<#ty>) } else { quote!(body::<#ty>) };
        let (operation, pointer, json) = (&check.operation_id, &check.pointer, &check.json);
        quote! { (#operation, #pointer, #json, #decoder), }
    });
    quote! {
        //! Every response example of the spec decodes into the type its operation returns.

        /// Decodes one example; the error says why it does not fit.
        type Decoder = fn(&str) -> Result<(), serde_json::Error>;

        /// (operationId, JSON pointer of the example in the spec, the example, its decoder).
        const EXAMPLES: &[(&str, &str, &str, Decoder)] = &[#(#rows)*];

        /// A plain JSON response body.
        #[allow(dead_code)] // unused when every example is an envelope
        fn body<T: serde::de::DeserializeOwned>(json: &str) -> Result<(), serde_json::Error> {
            serde_json::from_str::<T>(json).map(drop)
        }

        /// The part of an envelope `{success, errors, messages, result}` that the client returns.
        #[derive(serde::Deserialize)]
        #[allow(dead_code)] // unused when no example is an envelope
        struct Envelope<T> {
            result: T,
        }

        /// The `result` of an envelope response.
        #[allow(dead_code)]
        fn result<T: serde::de::DeserializeOwned>(json: &str) -> Result<(), serde_json::Error> {
            serde_json::from_str::<Envelope<T>>(json).map(drop)
        }

        #[test]
        fn every_response_example_decodes() {
            let failures: Vec<String> = EXAMPLES
                .iter()
                .filter_map(|(operation, pointer, json, decode)| decode(json).err().map(|e| format!("{operation} {pointer}: {e}")))
                .collect();
            println!("examples: {} of {} decode", EXAMPLES.len() - failures.len(), EXAMPLES.len());
            assert!(failures.is_empty(), "{} example(s) do not decode:\n{}", failures.len(), failures.join("\n"));
        }
    }
}

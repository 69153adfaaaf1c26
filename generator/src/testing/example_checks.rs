//! The example checks: an integration test for a generated crate that decodes every response
//! example of the spec ([`super::response_examples`]) into the type its operation returns, the
//! way the client does.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::response_examples::{ExampleCheck, response_examples};
use crate::emit::TypePaths;
use crate::ir::TypeSpace;
use crate::{Error, Lowered, render};

/// The example checks of the crate that `lowered` makes ([`Lowered::emit`]): the source of an
/// integration test (`tests/*.rs`) which decodes every response example of the spec into the type
/// its operation returns.
pub fn example_checks(lowered: &Lowered) -> Result<String, Error> {
    let checks = response_examples(&lowered.loaded, &lowered.api).map_err(|e| lowered.locate(e))?;
    render::render("tests/examples.rs", emit_example_checks(&lowered.api.types, &checks, &lowered.options.crate_name))
}

/// `tests/examples.rs` of the crate `crate_name`: one table row per example, one test over all.
fn emit_example_checks(types: &TypeSpace, checks: &[ExampleCheck], crate_name: &str) -> TokenStream {
    let krate = format_ident!("{}", crate_name.replace('-', "_"));
    let paths = TypePaths::rooted(types, quote!(#krate));
    let rows = checks.iter().map(|check| {
        let ty = paths.ty(&check.ty);
        let ty = if check.nullable { quote!(Option<#ty>) } else { ty };
        let decoder = if check.envelope { quote!(result::<#ty>) } else { quote!(body::<#ty>) };
        let (operation, pointer, json) = (&check.operation_id, &check.pointer, &check.json);
        quote! { (#operation, #pointer, #json, #decoder), }
    });
    // Each decoder only where a row uses it, so the test compiles without warnings.
    let body = checks.iter().any(|c| !c.envelope).then(|| {
        quote! {
            /// A plain JSON response body.
            fn body<T: serde::de::DeserializeOwned>(json: &str) -> Result<(), serde_json::Error> {
                serde_json::from_str::<T>(json).map(drop)
            }
        }
    });
    let result = checks.iter().any(|c| c.envelope).then(|| {
        quote! {
            /// The part of an envelope `{success, errors, messages, result}` that the client returns.
            #[derive(serde::Deserialize)]
            struct Envelope<T> {
                result: T,
            }

            /// The `result` of an envelope response.
            fn result<T: serde::de::DeserializeOwned>(json: &str) -> Result<(), serde_json::Error> {
                serde_json::from_str::<Envelope<T>>(json).map(|envelope| drop(envelope.result))
            }
        }
    });
    quote! {
        //! Every response example of the spec decodes into the type its operation returns.

        /// Decodes one example; the error says why it does not fit.
        type Decoder = fn(&str) -> Result<(), serde_json::Error>;

        /// (operationId, JSON pointer of the example in the spec, the example, its decoder).
        const EXAMPLES: &[(&str, &str, &str, Decoder)] = &[#(#rows)*];

        #body
        #result

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

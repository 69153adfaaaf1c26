//! Stage 4: token streams to formatted source text.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use quote::ToTokens;
use syn::Item;

use crate::emit::HEADER_TEXT;
use crate::error::Error;

/// Pretty-prints `tokens` as a Rust file with the generated-code header. `file` names the output
/// file in the (never expected) error where the tokens do not parse.
///
/// prettyplease prints a macro call's arguments token by token and wraps them anywhere
/// (`Vec < crate ::types::X >`, a key split from its value). The runtime's macro calls at the top
/// of a module are printed from their tokens instead (`runtime_call`); prettyplease prints the
/// items between them.
pub fn render(file: &str, tokens: TokenStream) -> Result<String, Error> {
    let syn::File { attrs, items, .. } =
        syn::parse2(tokens).map_err(|e| Error::Render { file: file.to_owned(), message: e.to_string() })?;
    let mut printed = String::new();
    let mut run = syn::File { shebang: None, attrs, items: Vec::new() };
    for item in items {
        match item {
            Item::Macro(call) if is_runtime_call(&call) => {
                printed.push_str(&prettyplease::unparse(&run));
                run = syn::File { shebang: None, attrs: Vec::new(), items: Vec::new() };
                printed.push_str(&runtime_call(&call));
            }
            other => run.items.push(other),
        }
    }
    printed.push_str(&prettyplease::unparse(&run));
    Ok(format!("// {HEADER_TEXT}\n\n{}", space_items(&printed)))
}

/// Lines are kept to this many characters where the layout allows, as rustfmt does by default.
const MAX_WIDTH: usize = 100;

/// A call of one of the runtime's macros (`crate::runtime::serde_struct!(..);`), with no
/// attribute but `cfg`.
fn is_runtime_call(call: &syn::ItemMacro) -> bool {
    let segments: Vec<String> = call.mac.path.segments.iter().take(2).map(|s| s.ident.to_string()).collect();
    segments == ["crate", "runtime"]
        && matches!(call.mac.delimiter, syn::MacroDelimiter::Paren(_))
        && call.attrs.iter().all(|a| a.path().is_ident("cfg"))
}

/// A runtime macro call as source: its attributes a line each, then the call on one line when it
/// fits in [`MAX_WIDTH`], else with its braced list (a struct's keys, an enum's values) one entry
/// a line, as rustfmt prints a struct.
fn runtime_call(call: &syn::ItemMacro) -> String {
    let mut out = String::new();
    for attr in &call.attrs {
        out.push_str(&one_line(attr.to_token_stream()));
        out.push('\n');
    }
    let head = format!("{}!(", one_line(call.mac.path.to_token_stream()));
    let line = format!("{head}{});", one_line(call.mac.tokens.clone()));
    let tokens: Vec<TokenTree> = call.mac.tokens.clone().into_iter().collect();
    let list = tokens.iter().position(|t| matches!(t, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace));
    match list {
        Some(at) if line.len() > MAX_WIDTH => {
            let TokenTree::Group(group) = &tokens[at] else { unreachable!("found as a group") };
            out.push_str(&head);
            out.push_str(&one_line(tokens[..at].iter().cloned().collect()));
            out.push_str(" {\n");
            for entry in entries(group.stream()) {
                out.push_str(&format!("    {},\n", one_line(entry)));
            }
            out.push('}');
            out.push_str(&one_line(tokens[at + 1..].iter().cloned().collect()));
            out.push_str(");");
        }
        _ => out.push_str(&line),
    }
    out.push('\n');
    out
}

/// The comma-separated entries of a list, without their commas.
fn entries(list: TokenStream) -> Vec<TokenStream> {
    let mut entries = vec![TokenStream::new()];
    for token in list {
        match &token {
            TokenTree::Punct(p) if p.as_char() == ',' => entries.push(TokenStream::new()),
            _ => entries.last_mut().expect("never empty").extend([token]),
        }
    }
    entries.retain(|e| !e.is_empty());
    entries
}

/// What was printed last, for the space before the next token.
#[derive(Clone, Copy, PartialEq)]
enum Last {
    /// Nothing, an opening delimiter, or a space.
    Start,
    /// An identifier, a literal or a closing delimiter.
    Word,
    /// A comma: the next token is spaced.
    Comma,
    /// Any other punctuation (`::`, `<`, `&`, `'`, `#`, `!`): the next token is not.
    Punct,
}

/// `tokens` on one line, spaced as rustfmt spaces macro arguments, types and attributes: a space
/// after a comma, around `=`, between words and before a brace; none inside paths, generics,
/// references or lifetimes.
fn one_line(tokens: TokenStream) -> String {
    let mut out = String::new();
    write_tokens(&mut out, tokens);
    out
}

fn write_tokens(out: &mut String, tokens: TokenStream) {
    let mut last = Last::Start;
    for token in tokens {
        match token {
            TokenTree::Ident(_) | TokenTree::Literal(_) => {
                if matches!(last, Last::Word | Last::Comma) {
                    out.push(' ');
                }
                out.push_str(&token.to_string());
                last = Last::Word;
            }
            TokenTree::Punct(p) => match p.as_char() {
                ',' => {
                    out.push(',');
                    last = Last::Comma;
                }
                '=' if p.spacing() == Spacing::Alone && last != Last::Punct => {
                    out.push_str(" = ");
                    last = Last::Start;
                }
                c => {
                    if last == Last::Comma {
                        out.push(' ');
                    }
                    out.push(c);
                    last = Last::Punct;
                }
            },
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace if group.stream().is_empty() => ("{", "}"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::None => ("", ""),
                };
                let spaced = last == Last::Comma || (group.delimiter() == Delimiter::Brace && last != Last::Start);
                if spaced {
                    out.push(' ');
                }
                out.push_str(open);
                write_tokens(out, group.stream());
                out.push_str(close);
                last = Last::Word;
            }
        }
    }
}

/// Token streams carry no blank lines, so prettyplease prints items back to back. Put one blank
/// line between consecutive items at the same depth, as rustfmt'd code usually has.
fn space_items(source: &str) -> String {
    const ITEM_STARTS: &[&str] =
        &["///", "#[", "pub ", "pub(", "impl", "fn ", "async fn", "struct ", "enum ", "mod ", "const ", "use ", "type ", "crate::runtime::"];
    let mut out = String::with_capacity(source.len() + source.len() / 16);
    let mut previous: Option<&str> = None;
    for line in source.lines() {
        if let Some(prev) = previous {
            let indent = |l: &str| l.len() - l.trim_start().len();
            let prev_trimmed = prev.trim();
            let ends_item = prev_trimmed == "}" || prev_trimmed.starts_with("#![") || (prev_trimmed.ends_with(';') && indent(prev) == 0);
            let starts_item = ITEM_STARTS.iter().any(|s| line.trim_start().starts_with(s));
            let inner_doc_ends = prev_trimmed.starts_with("//!") && !line.trim_start().starts_with("//!");
            if (ends_item && starts_item && indent(prev) == indent(line)) || inner_doc_ends {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        previous = Some(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::render;
    use quote::quote;

    fn body(tokens: proc_macro2::TokenStream) -> String {
        let text = render("t.rs", tokens).expect("renders");
        text.split_once("\n\n").expect("header").1.to_owned()
    }

    #[test]
    fn runtime_calls_that_fit_are_one_line_spaced_as_rustfmt_spaces_them() {
        let text = body(quote! {
            #[cfg(any(feature = "a", feature = "b"))]
            crate::runtime::request_builder!("Items::list", List, Vec<crate::types::x::Item<'static> >, result);
            crate::runtime::paged_list!(List, Option<&'static str>, page_number, "a b,c");
            crate::runtime::serde_struct!(Empty, sent {});
            crate::runtime::serde_struct!(Zone, both { r#type = "type" optional });
            fn after() {}
        });
        assert_eq!(
            text,
            "#[cfg(any(feature = \"a\", feature = \"b\"))]\ncrate::runtime::request_builder!(\"Items::list\", List, Vec<crate::types::x::Item<'static>>, result);\n\ncrate::runtime::paged_list!(List, Option<&'static str>, page_number, \"a b,c\");\n\ncrate::runtime::serde_struct!(Empty, sent {});\n\ncrate::runtime::serde_struct!(Zone, both { r#type = \"type\" optional });\n\nfn after() {}\n"
        );
    }

    #[test]
    fn long_runtime_lists_are_one_entry_a_line_and_keep_strings_whole() {
        let text = body(quote! {
            crate::runtime::serde_struct!(Zone, both {
                r#type = "type",
                odd = "a, b } \" )" optional,
                name = "x  y",
                a_much_longer_field_name = "a_much_longer_field_name" flatten,
            });
        });
        assert_eq!(
            text,
            "crate::runtime::serde_struct!(Zone, both {\n    r#type = \"type\",\n    odd = \"a, b } \\\" )\" optional,\n    name = \"x  y\",\n    a_much_longer_field_name = \"a_much_longer_field_name\" flatten,\n});\n"
        );
    }

    #[test]
    fn calls_of_other_macros_and_inner_docs_are_left_to_prettyplease() {
        let text = body(quote! {
            #![doc = " A module."]
            crate::runtime::serde_struct!(A, sent {});
            pub mod operation { crate::runtime::operations!(A, B); }
        });
        assert_eq!(text, "//! A module.\n\ncrate::runtime::serde_struct!(A, sent {});\n\npub mod operation {\n    crate::runtime::operations!(A, B);\n}\n");
    }
}

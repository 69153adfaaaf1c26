//! Stage 4: token streams to formatted source text.

use std::fmt::Write;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

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
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut printed = String::new();
    // The items between runtime calls, from `run` on, go to prettyplease together.
    let mut run = 0;
    let mut at = 0;
    while at < tokens.len() {
        match RuntimeCall::at(&tokens, run, at) {
            Some(call) => {
                printed.push_str(&unparse(file, &tokens[run..call.start])?);
                printed.push_str(&runtime_call(&call));
                (run, at) = (call.end, call.end);
            }
            None => at += 1,
        }
    }
    printed.push_str(&unparse(file, &tokens[run..])?);
    Ok(format!("// {HEADER_TEXT}\n\n{}", space_items(&printed)))
}

/// Items (and a file's inner attributes) as prettyplease prints them.
fn unparse(file: &str, items: &[TokenTree]) -> Result<String, Error> {
    if items.is_empty() {
        return Ok(String::new());
    }
    let parsed: syn::File =
        syn::parse2(items.iter().cloned().collect()).map_err(|e| Error::Render { file: file.to_owned(), message: e.to_string() })?;
    Ok(prettyplease::unparse(&parsed))
}

/// A call of one of the runtime's macros at the top of a module, `#[cfg(..)]
/// crate::runtime::serde_struct!(..);`, with no attribute but `cfg`, found in the module's tokens
/// (so that syn never reads the call's arguments, most of a module).
struct RuntimeCall<'t> {
    /// Its attributes, a `#` and a bracketed group each.
    attrs: &'t [TokenTree],
    /// `crate::runtime::name`.
    path: &'t [TokenTree],
    /// What is inside the parentheses.
    arguments: TokenStream,
    /// Where its first attribute is, and where the next item starts.
    start: usize,
    end: usize,
}

impl<'t> RuntimeCall<'t> {
    /// The call whose path starts at `tokens[at]`, if there is one there that starts an item: only
    /// its attributes come between it and the end of the item before (or `from`, where the items
    /// to print start).
    fn at(tokens: &'t [TokenTree], from: usize, at: usize) -> Option<RuntimeCall<'t>> {
        let is_punct = |t: Option<&TokenTree>, c: char| matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == c);
        let is_ident = |t: Option<&TokenTree>, name: &str| matches!(t, Some(TokenTree::Ident(i)) if i == name);
        let path_ok = is_ident(tokens.get(at), "crate")
            && is_punct(tokens.get(at + 1), ':')
            && is_punct(tokens.get(at + 2), ':')
            && is_ident(tokens.get(at + 3), "runtime")
            && is_punct(tokens.get(at + 4), ':')
            && is_punct(tokens.get(at + 5), ':')
            && matches!(tokens.get(at + 6), Some(TokenTree::Ident(_)))
            && is_punct(tokens.get(at + 7), '!')
            && is_punct(tokens.get(at + 9), ';');
        let Some(TokenTree::Group(arguments)) = tokens.get(at + 8) else { return None };
        if !path_ok || arguments.delimiter() != Delimiter::Parenthesis {
            return None;
        }
        // Its attributes, back to the end of the item before it.
        let mut start = at;
        while start >= from + 2 && is_punct(tokens.get(start - 2), '#') {
            let Some(TokenTree::Group(attr)) = tokens.get(start - 1) else { break };
            if attr.delimiter() != Delimiter::Bracket {
                break;
            }
            if !is_ident(attr.stream().into_iter().next().as_ref(), "cfg") {
                return None;
            }
            start -= 2;
        }
        let item_before_ends = start == from
            || is_punct(tokens.get(start - 1), ';')
            || matches!(&tokens[start - 1], TokenTree::Group(g) if g.delimiter() == Delimiter::Brace)
            || (start >= from + 3 && is_punct(tokens.get(start - 2), '!') && is_punct(tokens.get(start - 3), '#'));
        item_before_ends.then(|| RuntimeCall {
            attrs: &tokens[start..at],
            path: &tokens[at..at + 7],
            arguments: arguments.stream(),
            start,
            end: at + 10,
        })
    }
}

/// Lines are kept to this many characters where the layout allows, as rustfmt does by default.
const MAX_WIDTH: usize = 100;

/// A runtime macro call as source: its attributes a line each, then the call on one line when it
/// fits in [`MAX_WIDTH`] and carries no attribute inside; else laid out as rustfmt lays out the
/// item it stands for. The tokens before a braced list stay on the call's line; when attributes
/// come first (`serde_struct!(received, /// doc #[derive(..)] pub struct X { .. })`), the item
/// they describe goes on the lines after it, indented, and `);` on a line of its own. The list's
/// entries (a struct's fields, an enum's values, a builder's setters) are one a line, each after
/// its own attributes, doc attributes printed as `///` comments.
fn runtime_call(call: &RuntimeCall<'_>) -> String {
    let mut out = String::new();
    for attr in call.attrs.chunks(2) {
        out.push_str(&one_line(attr.iter().cloned().collect()));
        out.push('\n');
    }
    let head = format!("{}!(", one_line(call.path.iter().cloned().collect()));
    let tokens: Vec<TokenTree> = call.arguments.clone().into_iter().collect();
    let list = tokens.iter().position(|t| matches!(t, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace));
    let first_attr = attr_starts(&tokens).next();
    let laid_out = first_attr.is_some() || list.is_some_and(|at| group_has_attrs(&tokens[at]));
    let at = match list {
        Some(at) if laid_out => at,
        _ => {
            let line = format!("{head}{});", one_line(call.arguments.clone()));
            match list {
                Some(at) if line.len() > MAX_WIDTH => at,
                _ => {
                    out.push_str(&line);
                    out.push('\n');
                    return out;
                }
            }
        }
    };
    let TokenTree::Group(group) = &tokens[at] else { unreachable!("found as a group") };
    let tail = one_line(tokens[at + 1..].iter().cloned().collect());
    match first_attr.filter(|&first| first < at) {
        Some(first) => {
            out.push_str(&head);
            out.push_str(&one_line(tokens[..first].iter().cloned().collect()));
            out.push('\n');
            let item_head: TokenStream = tokens[first..at].iter().cloned().collect();
            write_entry(&mut out, 1, item_head, " {");
            write_list(&mut out, 2, group.stream());
            out.push_str(&format!("    }}{tail}\n);\n"));
        }
        None => {
            out.push_str(&head);
            out.push_str(&one_line(tokens[..at].iter().cloned().collect()));
            out.push_str(" {\n");
            write_list(&mut out, 1, group.stream());
            out.push_str(&format!("}}{tail});\n"));
        }
    }
    out
}

/// The positions of the outer attributes (`#` then a bracketed group) in `tokens`.
fn attr_starts(tokens: &[TokenTree]) -> impl Iterator<Item = usize> + '_ {
    tokens.windows(2).enumerate().filter_map(|(i, pair)| match pair {
        [TokenTree::Punct(p), TokenTree::Group(g)] if p.as_char() == '#' && g.delimiter() == Delimiter::Bracket => Some(i),
        _ => None,
    })
}

/// Whether an entry of the braced list `list` has attributes: an attribute at the list's top
/// level always leads an entry.
fn group_has_attrs(list: &TokenTree) -> bool {
    let TokenTree::Group(group) = list else { return false };
    attr_starts(&group.stream().into_iter().collect::<Vec<_>>()).next().is_some()
}

/// The entries of a braced list, one a line at `depth` (four spaces each), each followed by a
/// comma.
fn write_list(out: &mut String, depth: usize, list: TokenStream) {
    for entry in entries(list) {
        write_entry(out, depth, entry, ",");
    }
}

/// One entry at `depth`: its leading attributes a line each (doc attributes as `///` comments),
/// then the rest of it on one line, ended by `end`.
fn write_entry(out: &mut String, depth: usize, entry: TokenStream, end: &str) {
    let indent = "    ".repeat(depth);
    let tokens: Vec<TokenTree> = entry.into_iter().collect();
    let mut rest = 0;
    while let [TokenTree::Punct(hash), TokenTree::Group(attr), ..] = &tokens[rest..] {
        if hash.as_char() != '#' || attr.delimiter() != Delimiter::Bracket {
            break;
        }
        match doc_text(attr.stream()) {
            Some(text) => {
                for line in text.split('\n') {
                    out.extend([indent.as_str(), "///", line, "\n"]);
                }
            }
            None => {
                out.extend([indent.as_str(), "#["]);
                write_tokens(out, attr.stream());
                out.push_str("]\n");
            }
        }
        rest += 2;
    }
    out.push_str(&indent);
    write_tokens(out, tokens[rest..].iter().cloned().collect());
    out.extend([end, "\n"]);
}

/// The text of a doc attribute's contents (`doc = " text"`), when a `///` comment can carry it:
/// no carriage return, which a doc comment may not hold. Emit writes doc lines as raw strings
/// (`r" text"`), read here as they are; other string literals are read by syn.
fn doc_text(attr: TokenStream) -> Option<String> {
    let mut tokens = attr.into_iter();
    let (Some(TokenTree::Ident(name)), Some(TokenTree::Punct(eq)), Some(TokenTree::Literal(literal)), None) =
        (tokens.next(), tokens.next(), tokens.next(), tokens.next())
    else {
        return None;
    };
    if name != "doc" || eq.as_char() != '=' {
        return None;
    }
    let literal = literal.to_string();
    let text = match raw_string_contents(&literal) {
        Some(text) => text.to_owned(),
        None => syn::parse_str::<syn::LitStr>(&literal).ok()?.value(),
    };
    (!text.contains('\r')).then_some(text)
}

/// What a raw string literal (`r"..."`, `r#"..."#`) holds; `None` for any other literal.
fn raw_string_contents(literal: &str) -> Option<&str> {
    let fenced = literal.strip_prefix('r')?;
    let hashes = fenced.len() - fenced.trim_start_matches('#').len();
    let fence = &fenced[..hashes];
    fenced[hashes..].strip_prefix('"')?.strip_suffix(fence)?.strip_suffix('"')
}

/// The comma-separated entries of a list, without their commas. A comma inside angle brackets
/// (`HashMap<String, Value>`) separates generic arguments, not entries.
fn entries(list: TokenStream) -> Vec<TokenStream> {
    let mut entries = vec![TokenStream::new()];
    let mut angle_depth = 0usize;
    let mut after_arrow_start = false;
    for token in list {
        if let TokenTree::Punct(p) = &token {
            match p.as_char() {
                ',' if angle_depth == 0 => {
                    entries.push(TokenStream::new());
                    continue;
                }
                '<' => angle_depth += 1,
                // The `>` of `=>` or `->` closes no bracket.
                '>' if !after_arrow_start => angle_depth = angle_depth.saturating_sub(1),
                _ => {}
            }
            after_arrow_start = matches!(p.as_char(), '=' | '-') && p.spacing() == Spacing::Joint;
        } else {
            after_arrow_start = false;
        }
        entries.last_mut().expect("never empty").extend([token]);
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
    let tokens: Vec<TokenTree> = tokens.into_iter().collect();
    let mut last = Last::Start;
    let mut at = 0;
    while at < tokens.len() {
        match &tokens[at] {
            token @ (TokenTree::Ident(_) | TokenTree::Literal(_)) => {
                if matches!(last, Last::Word | Last::Comma) {
                    out.push(' ');
                }
                let _ = write!(out, "{token}");
                last = Last::Word;
            }
            TokenTree::Punct(_) => {
                let mut marks = [0u8; MAX_OPERATOR];
                let (operator, end) = operator(&tokens, at, &mut marks);
                at = end;
                match operator {
                    "," => {
                        out.push(',');
                        last = Last::Comma;
                    }
                    "=" | "=>" | "->" => {
                        if !out.ends_with(' ') {
                            out.push(' ');
                        }
                        out.push_str(operator);
                        out.push(' ');
                        last = Last::Start;
                    }
                    ":" => {
                        out.push_str(": ");
                        last = Last::Start;
                    }
                    _ => {
                        if last == Last::Comma {
                            out.push(' ');
                        }
                        out.push_str(operator);
                        last = Last::Punct;
                    }
                }
            }
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
        at += 1;
    }
}

/// The longest operator Rust has (`..=`, `<<=`).
const MAX_OPERATOR: usize = 3;

/// The operator that starts at `tokens[start]` (a punctuation mark and those joined to it, as
/// `::`, `=>` or `..=`), written into `marks`, and the position of its last mark. Angle brackets
/// stand alone: `>>` and `>=` after a type are two brackets, or a bracket and an `=`.
fn operator<'m>(tokens: &[TokenTree], start: usize, marks: &'m mut [u8; MAX_OPERATOR]) -> (&'m str, usize) {
    let mut len = 0;
    let mut at = start;
    while let TokenTree::Punct(p) = &tokens[at] {
        // Punctuation is ASCII.
        marks[len] = p.as_char() as u8;
        len += 1;
        let joins = p.spacing() == Spacing::Joint && !matches!(p.as_char(), '<' | '>');
        if len == MAX_OPERATOR || !joins || !matches!(tokens.get(at + 1), Some(TokenTree::Punct(_))) {
            break;
        }
        at += 1;
    }
    (std::str::from_utf8(&marks[..len]).unwrap_or_default(), at)
}

/// Token streams carry no blank lines, so prettyplease prints items back to back. Put one blank
/// line between consecutive items at the same depth, as rustfmt'd code usually has.
fn space_items(source: &str) -> String {
    const ITEM_STARTS: &[&str] =
        &["///", "#[", "pub ", "pub(", "impl", "fn ", "async fn", "struct ", "enum ", "mod ", "const ", "use ", "type ", "crate::runtime::"];
    let mut out = String::with_capacity(source.len() + source.len() / 16);
    // The line before: trimmed, and its indentation.
    let mut previous: Option<(&str, usize)> = None;
    for line in source.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some((prev, prev_indent)) = previous {
            let ends_item = prev == "}" || prev.starts_with("#![") || (prev.ends_with(';') && prev_indent == 0);
            let starts_item = || ITEM_STARTS.iter().any(|s| trimmed.starts_with(s));
            let inner_doc_ends = prev.starts_with("//!") && !trimmed.starts_with("//!");
            if (ends_item && indent == prev_indent && starts_item()) || inner_doc_ends {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        previous = Some((trimmed.trim_end(), indent));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::render;
    use quote::quote;

    #[test]
    fn operators_are_read_whole_and_spaced() {
        let line = super::one_line(quote!(x = ..=32, a::b => c, f() -> Vec<Vec<u8>>, &'a T, ...));
        assert_eq!(line, "x = ..=32, a::b => c, f() -> Vec<Vec<u8>>, &'a T, ...");
    }

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
    fn entries_with_attributes_are_laid_out_with_their_docs_as_comments() {
        let text = body(quote! {
            crate::runtime::setters!(List {
                #[doc = " Page size."]
                per_page: i64 => query("per_page"),
                tags: std::collections::HashMap<String, Vec<String> > => query_each("tags"),
            });
        });
        assert_eq!(
            text,
            "crate::runtime::setters!(List {\n    /// Page size.\n    per_page: i64 => query(\"per_page\"),\n    tags: std::collections::HashMap<String, Vec<String>> => query_each(\"tags\"),\n});\n"
        );
    }

    #[test]
    fn an_item_given_whole_goes_below_the_call_line() {
        let text = body(quote! {
            #[cfg(feature = "zones")]
            crate::runtime::serde_struct!(received,
                #[doc = " A zone."]
                #[doc = " Two lines."]
                #[derive(Clone, Debug, PartialEq)]
                pub struct Zone {
                    #[doc = " Its name."]
                    pub name: Option<String> = "name" optional,
                    pub r#type: String = "type",
                }
            );
            crate::runtime::string_enum!(#[doc = "a\rb"] pub enum Kind { A = "a" });
        });
        assert_eq!(
            text,
            "#[cfg(feature = \"zones\")]\ncrate::runtime::serde_struct!(received,\n    /// A zone.\n    /// Two lines.\n    #[derive(Clone, Debug, PartialEq)]\n    pub struct Zone {\n        /// Its name.\n        pub name: Option<String> = \"name\" optional,\n        pub r#type: String = \"type\",\n    }\n);\n\ncrate::runtime::string_enum!(\n    #[doc = \"a\\rb\"]\n    pub enum Kind {\n        A = \"a\",\n    }\n);\n"
        );
    }

    #[test]
    fn doc_lines_are_read_from_raw_and_plain_string_literals() {
        let doc = |tokens: proc_macro2::TokenStream| super::doc_text(tokens);
        assert_eq!(doc(quote!(doc = r" plain")).as_deref(), Some(" plain"));
        let fenced: proc_macro2::TokenStream = r###"doc = r##" says "# and ""##"###.parse().unwrap();
        assert_eq!(doc(fenced).as_deref(), Some(r##" says "# and ""##));
        assert_eq!(doc(quote!(doc = " a \" quote")).as_deref(), Some(" a \" quote"));
        assert_eq!(doc(quote!(doc = "a\rb")), None);
        assert_eq!(doc(quote!(cfg = "x")), None);
        assert_eq!(doc(quote!(doc = 1)), None);
    }

    #[test]
    fn a_runtime_call_is_found_after_any_item_and_not_with_other_attributes() {
        let text = body(quote! {
            impl A { fn f() {} }
            #[cfg(feature = "a")]
            crate::runtime::serde_struct!(A,   sent {});
            pub type B = A;
            #[allow(dead_code)]
            crate::runtime::serde_struct!(B, sent {});
        });
        assert_eq!(
            text,
            "impl A {\n    fn f() {}\n}\n\n#[cfg(feature = \"a\")]\ncrate::runtime::serde_struct!(A, sent {});\n\npub type B = A;\n\n#[allow(dead_code)]\ncrate::runtime::serde_struct!(B, sent {});\n"
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

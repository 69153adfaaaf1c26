//! Stage 4: token streams to formatted source text.

use proc_macro2::TokenStream;

use crate::emit::HEADER_TEXT;
use crate::error::Error;

/// Pretty-prints `tokens` as a Rust file with the generated-code header. `file` names the output
/// file in the (never expected) error where the tokens do not parse.
pub fn render(file: &str, tokens: TokenStream) -> Result<String, Error> {
    let syntax: syn::File =
        syn::parse2(tokens).map_err(|e| Error::Render { file: file.to_owned(), message: e.to_string() })?;
    Ok(format!("// {HEADER_TEXT}\n\n{}", space_items(&tidy_serde_structs(&tidy_builder_macros(&prettyplease::unparse(&syntax))))))
}

/// The runtime macros a request builder invokes at the top level of a module: the builder
/// itself and, for a paged list, its pager.
const BUILDER_MACROS: [&str; 2] = ["crate::runtime::request_builder!(", "crate::runtime::paged_list!("];

/// prettyplease prints a macro's arguments token by token (`Vec < crate ::types::X >`), and
/// wraps them. The builder macros take only names, types, paths and short string literals,
/// which need no space but after a comma: print each call on one line that way.
fn tidy_builder_macros(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut call: Option<(&str, String)> = None;
    for line in source.lines() {
        let (start, pending) = match call.take() {
            Some((start, mut text)) => {
                text.push_str(line);
                (start, text)
            }
            None => match BUILDER_MACROS.iter().find(|m| line.starts_with(*m)) {
                Some(start) => (*start, line.to_owned()),
                None => {
                    out.push_str(line);
                    out.push('\n');
                    continue;
                }
            },
        };
        if !pending.ends_with(");") {
            call = Some((start, pending));
            continue;
        }
        out.push_str(start);
        for (_, c, in_string) in with_string_state(&pending[start.len()..pending.len() - 2]) {
            match c {
                ',' if !in_string => out.push_str(", "),
                c if c.is_whitespace() && !in_string => {}
                c => out.push(c),
            }
        }
        out.push_str(");\n");
    }
    if let Some((_, text)) = call {
        out.push_str(&text);
    }
    out
}

/// The runtime macro that writes a struct's serde impls.
const SERDE_MACRO: &str = "crate::runtime::serde_struct!(";

/// prettyplease fills a `serde_struct!` call's lines with as many keys as fit. Print it as a
/// struct is printed instead: the name and direction on the first line, then one key a line.
fn tidy_serde_structs(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    let mut call: Option<(String, String)> = None;
    for line in source.lines() {
        let (indent, mut text) = match call.take() {
            Some((indent, text)) => (indent, text + " " + line.trim()),
            None if line.trim_start().starts_with(SERDE_MACRO) => {
                (line[..line.len() - line.trim_start().len()].to_owned(), line.trim().to_owned())
            }
            None => {
                out.push_str(line);
                out.push('\n');
                continue;
            }
        };
        let arguments = &text[SERDE_MACRO.len()..];
        let Some(close) = outside_strings(arguments).find(|&(_, c)| c == ')').map(|(i, _)| i) else {
            call = Some((indent, text));
            continue;
        };
        match format_serde_struct(&arguments[..close], &indent) {
            Some(formatted) => text = formatted,
            None => text = format!("{indent}{text}"),
        }
        out.push_str(&text);
        out.push('\n');
    }
    if let Some((indent, text)) = call {
        out.push_str(&indent);
        out.push_str(&text);
        out.push('\n');
    }
    out
}

/// `Name, direction { key = "wire" kind, .. }` as the call's lines, or `None` if it is not
/// shaped so.
fn format_serde_struct(arguments: &str, indent: &str) -> Option<String> {
    let open = outside_strings(arguments).find(|&(_, c)| c == '{')?.0;
    let close = outside_strings(arguments).filter(|&(_, c)| c == '}').last()?.0;
    let head = arguments[..open].split_whitespace().collect::<Vec<_>>().join(" ");
    let body = &arguments[open + 1..close];
    let mut keys = Vec::new();
    let mut start = 0;
    for (i, c) in outside_strings(body).chain([(body.len(), ',')]) {
        if c == ',' {
            let key = collapse_spaces(&body[start..i]);
            if !key.is_empty() {
                keys.push(key);
            }
            start = i + 1;
        }
    }
    if keys.is_empty() {
        return Some(format!("{indent}{SERDE_MACRO}{head} {{}});"));
    }
    let mut text = format!("{indent}{SERDE_MACRO}{head} {{\n");
    for key in keys {
        text.push_str(&format!("{indent}    {key},\n"));
    }
    text.push_str(&format!("{indent}}});"));
    Some(text)
}

/// The characters of `text` that are not inside a string literal, with their byte offsets.
fn outside_strings(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    with_string_state(text).filter(|&(_, _, in_string)| !in_string).map(|(i, c, _)| (i, c))
}

/// Each character of `text` with its byte offset and whether it belongs to a string literal
/// (its quotes included).
fn with_string_state(text: &str) -> impl Iterator<Item = (usize, char, bool)> + '_ {
    let mut in_string = false;
    let mut escaped = false;
    text.char_indices().map(move |(i, c)| {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            (i, c, true)
        } else {
            in_string = c == '"';
            (i, c, in_string)
        }
    })
}

/// `text` trimmed, with each run of whitespace outside string literals made one space.
fn collapse_spaces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_space = true;
    for (_, c, in_string) in with_string_state(text) {
        if !in_string && c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    out.trim_end().to_owned()
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
    use super::{tidy_builder_macros, tidy_serde_structs};

    #[test]
    fn serde_struct_calls_list_one_key_a_line_and_keep_strings_whole() {
        let printed = "crate::runtime::serde_struct!(\n    Zone, both { r#type = \"type\", odd = \"a, b } \\\" )\" optional, name =\n    \"x  y\" }\n);\ncrate::runtime::serde_struct!(Empty, sent {});\nfn after() {}\n";
        assert_eq!(
            tidy_serde_structs(printed),
            "crate::runtime::serde_struct!(Zone, both {\n    r#type = \"type\",\n    odd = \"a, b } \\\" )\" optional,\n    name = \"x  y\",\n});\ncrate::runtime::serde_struct!(Empty, sent {});\nfn after() {}\n"
        );
    }

    #[test]
    fn builder_macro_calls_are_printed_on_one_line_without_token_spacing() {
        let printed = "impl List<'_> {}\ncrate::runtime::request_builder!(\n    \"Items::list\", List, Vec < crate ::types::x::Item >, result\n);\nfn after() {}\n";
        assert_eq!(
            tidy_builder_macros(printed),
            "impl List<'_> {}\ncrate::runtime::request_builder!(\"Items::list\", List, Vec<crate::types::x::Item>, result);\nfn after() {}\n"
        );
        let paged = "crate::runtime::paged_list!(\n    List, Vec < crate ::types::x::Item >, page_number, \"a b,c\"\n);\n";
        assert_eq!(tidy_builder_macros(paged), "crate::runtime::paged_list!(List, Vec<crate::types::x::Item>, page_number, \"a b,c\");\n");
    }
}

//! Doc comments from spec text.
//!
//! Spec descriptions are Markdown written for a web page. Two things in them misbehave in
//! rustdoc: code blocks (rustdoc would compile and run them as doctests) and `[bracketed]` words
//! (rustdoc tries to resolve them as links to items). Both are neutralised here.

use std::borrow::Cow;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// `#[doc = "..."]` attributes for spec text, one per line.
pub fn doc_attrs(text: &str) -> TokenStream {
    Doc::new().spec(text).attrs()
}

/// A doc comment assembled from paragraphs of spec text (sanitized) and of the generator's own
/// text (trusted, so its intra-doc links work).
#[derive(Default)]
pub struct Doc {
    lines: Vec<String>,
}

impl Doc {
    pub fn new() -> Self {
        Doc::default()
    }

    /// Appends a paragraph of spec text.
    pub fn spec(self, text: &str) -> Self {
        self.paragraph(sanitize(text))
    }

    /// Appends a paragraph written by the generator.
    pub fn own(self, text: &str) -> Self {
        // It may quote spec text (the version, a tag, a path).
        let text = plain(text);
        self.paragraph(text.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") }).collect())
    }

    /// Appends generator text as the next line of the current paragraph (a note that belongs
    /// with what precedes it).
    pub fn own_line(mut self, text: &str) -> Self {
        self.lines.extend(plain(text).lines().map(|l| format!(" {l}")));
        self
    }

    /// Appends spec text as the next line of the current paragraph (e.g. a list item).
    pub fn spec_line(mut self, text: &str) -> Self {
        self.lines.extend(sanitize(text));
        self
    }

    fn paragraph(mut self, lines: Vec<String>) -> Self {
        if lines.is_empty() {
            return self;
        }
        if !self.lines.is_empty() {
            self.lines.push(String::new());
        }
        self.lines.extend(lines);
        self
    }

    /// The text of one `#[doc]` attribute: the lines joined by line breaks.
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    /// Outer attributes: `/// ...`.
    pub fn attrs(&self) -> TokenStream {
        let lines = self.lines.iter().map(|line| doc_literal(line));
        quote! { #( #[doc = #lines] )* }
    }

    /// Inner attributes: `//! ...`.
    pub fn inner_attrs(&self) -> TokenStream {
        let lines = self.lines.iter().map(|line| doc_literal(line));
        quote! { #( #![doc = #lines] )* }
    }
}

/// `line` as a raw string literal (`r#"..."#`, with as many `#` as it needs). Docs are most of
/// the generated text: a raw literal is written and read back (by render, as `///` comments)
/// without escaping every character and unescaping it again. A line that a raw literal cannot
/// hold (a carriage return) is an ordinary, escaped string literal.
pub fn doc_literal(line: &str) -> Literal {
    if line.contains('\r') {
        return Literal::string(line);
    }
    // One more `#` than the longest run of them after a quote: the literal cannot end early.
    let hashes = line.match_indices('"').map(|(at, _)| line[at + 1..].bytes().take_while(|&b| b == b'#').count() + 1).max().unwrap_or(0);
    let fence = "#".repeat(hashes);
    format!("r{fence}\"{line}\"{fence}").parse().unwrap_or_else(|_| Literal::string(line))
}

/// The lines of a doc comment, each with the leading space that makes `/// text` read well.
pub fn sanitize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    let text = plain(text);
    for line in text.trim().lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            // Every fence becomes a `text` block: never compiled, never run.
            let fence = &trimmed[..3];
            out.push(if in_fence { format!(" {fence}") } else { format!(" {fence}text") });
            in_fence = !in_fence;
            continue;
        }
        let line = if in_fence {
            match line.trim_end() {
                "" => String::new(),
                line => format!(" {line}"),
            }
        } else {
            // Indentation would make an indented code block, i.e. a doctest (after a `>` quote
            // marker too: Cloudflare's tables have rows starting with the `>` operator).
            let mut rest = trimmed.trim_end();
            let mut line = String::with_capacity(rest.len() + 1);
            line.push(' ');
            while let Some(after) = rest.strip_prefix('>') {
                line.push_str("> ");
                rest = after.trim_start();
            }
            escape_brackets(rest, &mut line);
            // A quote marker with nothing after it keeps no trailing space; an empty line is empty.
            line.truncate(line.trim_end().len());
            line
        };
        out.push(line);
    }
    if in_fence {
        out.push(" ```".to_owned());
    }
    out
}

/// Spec text made safe for a `///` comment: a lone carriage return ends a line (left in, the
/// comment does not lex), and the bidirectional-override code points that rustc refuses in
/// comments (`text_direction_codepoint_in_comment`, deny by default) become U+FFFD.
fn plain(text: &str) -> Cow<'_, str> {
    let bidi = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    if !text.contains(|c| c == '\r' || bidi(c)) {
        return Cow::Borrowed(text);
    }
    let text = text.replace("\r\n", "\n").chars().map(|c| if c == '\r' { '\n' } else if bidi(c) { '\u{FFFD}' } else { c }).collect();
    Cow::Owned(text)
}

/// `line` onto `out`, with `[` and `]` escaped unless they form a Markdown link `[text](url)`.
fn escape_brackets(line: &str, out: &mut String) {
    if !line.contains(['[', ']']) {
        out.push_str(line);
        return;
    }
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '[' {
            let close = chars[i..].iter().position(|&c| c == ']').map(|p| p + i);
            if let Some(close) = close {
                if chars.get(close + 1) == Some(&'(') {
                    out.extend(&chars[i..=close]);
                    i = close + 1;
                    continue;
                }
            }
            out.push_str("\\[");
        } else if c == ']' {
            out.push_str("\\]");
        } else {
            out.push(c);
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::{doc_literal, sanitize};

    #[test]
    fn doc_lines_read_back_as_written() {
        let lines = [" plain", "", " a \"quote\"", " \"# and \"## inside", " back\\slash \\n", " cr\rhere", " \u{202e}bidi", " ends with \""];
        for line in lines {
            let literal = doc_literal(line);
            let read: syn::LitStr = syn::parse2(quote::quote!(#literal)).expect("a string literal");
            assert_eq!(read.value(), line, "{literal}");
        }
        assert!(doc_literal(" text").to_string().starts_with("r\""), "raw where it can be");
        assert!(doc_literal(" \"# x").to_string().starts_with("r##\""), "enough hashes");
        assert!(doc_literal(" \"# and \"## inside").to_string().starts_with("r###\" \"#"), "no more than enough");
        assert!(doc_literal(" cr\rhere").to_string().starts_with('"'), "escaped where raw cannot be");
    }

    #[test]
    fn code_blocks_never_become_doctests() {
        let lines = sanitize("Example:\n```\nlet x = 1;\n```\n    indented code\n```json\n{}\n```");
        assert_eq!(lines, vec![" Example:", " ```text", " let x = 1;", " ```", " indented code", " ```text", " {}", " ```"]);
    }

    #[test]
    fn quote_markers_and_blank_lines_keep_no_trailing_space() {
        let lines = sanitize("a  \n>\n> > b ]\n\n```\n  code  \n\n```");
        assert_eq!(lines, vec![" a", " >", " > > b \\]", "", " ```text", "   code", "", " ```"]);
    }

    #[test]
    fn brackets_are_escaped_but_links_kept() {
        let lines = sanitize("Use [the docs](https://example.com) or [foo] and a]b");
        assert_eq!(lines, vec![r" Use [the docs](https://example.com) or \[foo\] and a\]b"]);
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        // Found by the fuzz harness (FUZZING.md): `info.title: "bare\rcarriage"` made lib.rs unparsable.
        assert_eq!(sanitize("bare\rcarriage\r\nnext"), vec![" bare", " carriage", " next"]);
    }

    #[test]
    fn a_lone_carriage_return_in_quoted_spec_text_ends_a_line() {
        // Found by the fuzz harness: `info.version: "bare\rcarriage"` is quoted in the crate docs.
        let doc = super::Doc::new().own("API version bare\rcarriage.");
        assert_eq!(doc.lines, vec![" API version bare", " carriage."]);
    }

    #[test]
    fn bidirectional_overrides_are_replaced() {
        // Found by the fuzz harness's compile check: rustc refuses them in doc comments.
        assert_eq!(sanitize("a\u{202e}b\u{2066}c"), vec![" a\u{FFFD}b\u{FFFD}c"]);
    }

    #[test]
    fn indentation_after_a_quote_marker_never_becomes_a_doctest() {
        assert_eq!(sanitize(">      | Greater Than | %3E\n> > x\n>"), vec![" > | Greater Than | %3E", " > > x", " >"]);
    }

    #[test]
    fn unclosed_fence_is_closed() {
        assert_eq!(sanitize("```\ncode"), vec![" ```text", " code", " ```"]);
    }
}

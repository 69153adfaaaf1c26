//! The mock calls: one function per operation that calls the generated method with values from
//! the spec's examples (see [`super::call_inputs`]), for a test that runs every operation against
//! a mock server which checks each request against the spec.
//!
//! The values become Rust expressions of the generated types: struct literals, enum variants,
//! `vec![..]`. Going through the types (not through JSON) sends what a program would send, so a
//! type that would demand or send something the spec forbids shows up at the mock.


use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use super::call_inputs::{CallInputs, call_inputs};
use crate::Lowered;
use crate::emit::{self, TypePaths, ident};
use crate::ir::{UNKNOWN_VARIANT, Api, BodyKind, Field, Operation, ScopedPath, Tagging, TypeId, TypeKind, TypeRef, TypeSpace};
use crate::naming::RustIdent;

/// Deeper values than this are not built (a backstop against self-containing types).
const MAX_DEPTH: usize = 48;

/// The mock calls of the crate that `lowered` makes ([`Lowered::emit`]): the source of a module for
/// a test of that crate which calls every operation once with arguments from the spec's examples,
/// `MOCK_CALLS`. Test material, read by rustc only: left unformatted (formatting it would slow
/// every build).
pub fn mock_calls(lowered: &Lowered) -> String {
    let inputs: Vec<_> = lowered.api.operations().map(|op| call_inputs(&lowered.loaded, op)).collect();
    format!("// {}\n{}\n", emit::HEADER_TEXT, emit_mock_calls(&lowered.api, &inputs, &lowered.options.crate_name))
}

/// The source of the mock calls of `api`; `inputs` holds each operation's values, in the order
/// the areas and resources list the operations.
fn emit_mock_calls(api: &Api, inputs: &[CallInputs], crate_name: &str) -> TokenStream {
    let krate = format_ident!("{}", crate_name.replace('-', "_"));
    let builder = Values { types: &api.types, paths: TypePaths::rooted(&api.types, quote!(#krate)) };
    let mut functions = Vec::new();
    let mut rows = Vec::new();
    let operations = api.areas.iter().flat_map(|area| {
        let own = area.operations.iter().map(move |op| (area, None, op));
        own.chain(area.resources.iter().flat_map(move |r| r.operations.iter().map(move |op| (area, Some(r), op))))
    });
    for ((area, resource, op), inputs) in operations.zip(inputs) {
        let arguments = builder.arguments(op, inputs);
        let chain = {
            let area = area.module.to_ident();
            let resources = resource.into_iter().flat_map(|r| &r.module).map(RustIdent::to_ident);
            let method_name = op.method_name.to_ident();
            quote!(.#area() #(.#resources())* .#method_name)
        };
        // An operation at several scopes is called at each, the scope as its first argument.
        let scopes: Vec<Option<(&ScopedPath, &Value)>> =
            if op.scopes.is_empty() { vec![None] } else { op.scopes.iter().zip(&inputs.scope_ids).map(Some).collect() };
        for scope in scopes {
            let (id, path) = scope.map_or((&op.operation_id, &op.path), |(s, _)| (&s.operation_id, &s.path));
            let method = &op.http_method;
            let call = match &arguments {
                Ok(args) => {
                    let scope_arg = scope.map(|(s, value)| {
                        let (variant, value) = (ident(&s.variant), string_literal(value));
                        quote!(#krate::Scope::#variant(#value))
                    });
                    let args = scope_arg.iter().chain(args);
                    let function = format_ident!("call_{}", functions.len());
                    let deprecated = op.deprecated.then(|| quote!(#[allow(deprecated)]));
                    functions.push(quote! {
                        #deprecated
                        fn #function(client: &#krate::Client) -> Pending<'_> {
                            Box::pin(async move { client #chain(#(#args),*).await.map(drop) })
                        }
                    });
                    quote!(Ok(#function))
                }
                Err(reason) => quote!(Err(#reason)),
            };
            let examples = &inputs.other_examples;
            rows.push(quote!(MockCall { operation_id: #id, method: #method, path: #path, call: #call, other_examples: &[#(#examples),*] },));
        }
    }
    quote! {
        /// A call in flight.
        pub type Pending<'c> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), #krate::Error>> + Send + 'c>>;

        /// One operation and how to call it.
        pub struct MockCall {
            /// `operationId`.
            pub operation_id: &'static str,
            /// HTTP method.
            pub method: &'static str,
            /// Path template.
            pub path: &'static str,
            /// The call, or why no call could be built from the spec's examples.
            pub call: Result<fn(&#krate::Client) -> Pending<'_>, &'static str>,
            /// The names of the success response's examples after the first (which a mock
            /// answers with unless asked for another).
            pub other_examples: &'static [&'static str],
        }

        /// Every operation, in the order of the crate's areas and resources.
        pub const MOCK_CALLS: &[MockCall] = &[#(#rows)*];

        /// A `serde_json::Value` from JSON text the generator wrote.
        #[allow(dead_code)]
        fn json(text: &str) -> serde_json::Value {
            serde_json::from_str(text).expect("the generator writes valid JSON")
        }

        #(#functions)*
    }
}

/// Builds Rust expressions of generated types from JSON values.
struct Values<'a> {
    types: &'a TypeSpace,
    paths: TypePaths<'a>,
}

impl Values<'_> {
    /// The method's arguments, or why they cannot be built.
    fn arguments(&self, op: &Operation, inputs: &CallInputs) -> Result<Vec<TokenStream>, String> {
        let positional = op.path_params.iter().chain(op.params.iter().filter(|p| p.required));
        let mut args = Vec::new();
        for (param, value) in positional.zip(&inputs.args) {
            let arg = match &param.ty {
                TypeRef::String => {
                    let text = string_literal(value);
                    Some(quote!(#text))
                }
                TypeRef::Array(item) => self.array(item, value, 0).map(|items| quote!(&[#(#items),*])),
                other => self.value(other, value, 0),
            };
            args.push(arg.ok_or_else(|| format!("no value of its type for parameter `{}` from {value}", param.wire_name))?);
        }
        let Some(body) = op.body.as_ref().filter(|b| b.positional) else { return Ok(args) };
        let value = inputs.body.as_ref().unwrap_or(&Value::Null);
        let arg = match &body.kind {
            BodyKind::Json(TypeRef::Array(item)) => self.array(item, value, 0).map(|items| quote!(&[#(#items),*])),
            BodyKind::Json(ty) | BodyKind::Form(ty, _) => self.value(ty, value, 0).map(|v| quote!(&#v)),
            BodyKind::Raw => {
                let text = match value {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                };
                let bytes = Literal::byte_string(text.as_bytes());
                Some(quote!(#bytes.to_vec()))
            }
            BodyKind::Multipart => {
                let root = &self.paths.root;
                let parts = value.as_object().into_iter().flatten().map(|(name, part)| {
                    let text = match part {
                        Value::String(text) => text.clone(),
                        other => other.to_string(),
                    };
                    quote!(.text(#name, #text))
                });
                Some(quote!(#root::Multipart::new() #(#parts)*))
            }
        };
        args.push(arg.ok_or_else(|| format!("no body of its type from {value}"))?);
        Ok(args)
    }

    /// An expression of type `ty` for `value`; `None` when `value` does not fit. Lenient where a
    /// program would be: a number given for a string is its text, a lone value for a list is a
    /// list of one, and a missing required value is a placeholder of its type.
    fn value(&self, ty: &TypeRef, value: &Value, depth: usize) -> Option<TokenStream> {
        if depth > MAX_DEPTH {
            return None;
        }
        Some(match ty {
            TypeRef::String => {
                let text = string_literal(value);
                quote!(String::from(#text))
            }
            TypeRef::Integer => {
                let n = match value {
                    Value::Null => 0,
                    Value::Number(n) => n.as_i64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15).map(|f| f as i64))?,
                    Value::String(text) => text.parse().ok()?,
                    _ => return None,
                };
                let n = Literal::i64_suffixed(n);
                quote!(#n)
            }
            TypeRef::Unsigned => {
                let n = match value {
                    Value::Null => 1,
                    Value::Number(n) => n.as_u64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f < 9.0e15).map(|f| f as u64))?,
                    Value::String(text) => text.parse().ok()?,
                    _ => return None,
                };
                let n = Literal::u64_suffixed(n);
                quote!(#n)
            }
            TypeRef::Number => {
                let n = match value {
                    Value::Null => 0.0,
                    Value::Number(n) => n.as_f64()?,
                    Value::String(text) => text.parse().ok().filter(|f: &f64| f.is_finite())?,
                    _ => return None,
                };
                let n = Literal::f64_suffixed(n);
                quote!(#n)
            }
            TypeRef::Boolean => match value {
                Value::Bool(b) => quote!(#b),
                Value::Null => quote!(true),
                Value::String(text) => {
                    let b: bool = text.parse().ok()?;
                    quote!(#b)
                }
                _ => return None,
            },
            TypeRef::Json => {
                let text = value.to_string();
                quote!(json(#text))
            }
            TypeRef::Array(item) => {
                let items = self.array(item, value, depth)?;
                quote!(vec![#(#items),*])
            }
            TypeRef::Map(item) => {
                let entries = match value {
                    Value::Object(entries) => entries,
                    Value::Null => return Some(quote!(std::collections::BTreeMap::new())),
                    _ => return None,
                };
                let entries = entries.iter().map(|(k, v)| Some((k, self.value(item, v, depth + 1)?))).collect::<Option<Vec<_>>>()?;
                let entries = entries.iter().map(|(k, v)| quote!((String::from(#k), #v)));
                quote!(std::collections::BTreeMap::from([#(#entries),*]))
            }
            TypeRef::Nullable(inner) => match value {
                Value::Null => quote!(None),
                value => {
                    let inner = self.value(inner, value, depth + 1)?;
                    quote!(Some(#inner))
                }
            },
            TypeRef::Named(id) => self.named(*id, value, depth)?,
            TypeRef::Boxed(id) => {
                let inner = self.named(*id, value, depth)?;
                quote!(Box::new(#inner))
            }
        })
    }

    fn array(&self, item: &TypeRef, value: &Value, depth: usize) -> Option<Vec<TokenStream>> {
        match value {
            Value::Array(items) => items.iter().map(|v| self.value(item, v, depth + 1)).collect(),
            Value::Null => Some(Vec::new()),
            single => Some(vec![self.value(item, single, depth + 1)?]),
        }
    }

    /// An expression of the generated type `id`.
    fn named(&self, id: TypeId, value: &Value, depth: usize) -> Option<TokenStream> {
        let def = &self.types[id];
        let name = self.paths.named(id);
        match &def.kind {
            TypeKind::Alias(target) => self.named(*target, value, depth + 1),
            TypeKind::Struct(fields) => self.structure(&name, fields, value, depth),
            TypeKind::Enum(variants) => {
                let unknown = format_ident!("{}", UNKNOWN_VARIANT);
                let text = value.as_str();
                let known = variants.iter().find(|v| Some(v.wire_name.as_str()) == text).or_else(|| text.is_none().then(|| variants.first()).flatten());
                Some(match (known, text) {
                    (Some(variant), _) => {
                        let variant = ident(&variant.rust_name);
                        quote!(#name::#variant)
                    }
                    (None, Some(text)) => quote!(#name::#unknown(String::from(#text))),
                    (None, None) => return None,
                })
            }
            TypeKind::Union(union) => {
                if let Tagging::Tagged { property } = &union.tagging {
                    let tag = value.get(property).and_then(Value::as_str);
                    if let Some(variant) = union.variants.iter().find(|v| v.tag.is_some() && v.tag.as_deref() == tag) {
                        let member = self.value(&variant.ty, value, depth + 1)?;
                        let variant = ident(&variant.rust_name);
                        return Some(quote!(#name::#variant(#member)));
                    }
                }
                // The first member the value fits as written, else the first it can be made to.
                let fitting = union.variants.iter().find(|v| self.fits(&v.ty, value, depth + 1)).or_else(|| union.variants.first())?;
                let member = self.value(&fitting.ty, value, depth + 1)?;
                let variant = ident(&fitting.rust_name);
                Some(quote!(#name::#variant(#member)))
            }
        }
    }

    /// A struct literal: every field named, the read-only ones `None` (the server sets them).
    fn structure(&self, name: &TokenStream, fields: &[Field], value: &Value, depth: usize) -> Option<TokenStream> {
        let empty = serde_json::Map::new();
        let object = match value {
            Value::Object(object) => object,
            Value::Null => &empty,
            _ => return None,
        };
        let fields = fields.iter().map(|field| {
            let rust = field.rust_name.to_ident();
            let given = if field.flatten { Some(value) } else { object.get(&field.wire_name).filter(|v| !v.is_null()) };
            let built = match given {
                _ if field.read_only => None,
                Some(given) => self.value(&field.ty, given, depth + 1),
                None if field.optional => None,
                None => Some(self.value(&field.ty, &Value::Null, depth + 1)?),
            };
            Some(match (built, field.optional) {
                (Some(v), true) => quote!(#rust: Some(#v)),
                (Some(v), false) => quote!(#rust: #v),
                (None, true) => quote!(#rust: None),
                (None, false) => return None,
            })
        });
        let fields = fields.collect::<Option<Vec<_>>>()?;
        Some(quote!(#name { #(#fields),* }))
    }

    /// Whether `value` is of `ty` as written: the right JSON kinds, every required property there.
    fn fits(&self, ty: &TypeRef, value: &Value, depth: usize) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        match (ty, value) {
            (TypeRef::Json, _) => true,
            (TypeRef::String, Value::String(_)) | (TypeRef::Boolean, Value::Bool(_)) => true,
            (TypeRef::Integer, Value::Number(n)) => n.is_i64() || n.is_u64(),
            (TypeRef::Number, Value::Number(_)) => true,
            (TypeRef::Unsigned, Value::Number(n)) => n.is_u64(),
            (TypeRef::Array(item), Value::Array(items)) => items.iter().all(|v| self.fits(item, v, depth + 1)),
            (TypeRef::Map(item), Value::Object(entries)) => entries.values().all(|v| self.fits(item, v, depth + 1)),
            (TypeRef::Nullable(_), Value::Null) => true,
            (TypeRef::Nullable(inner), value) => self.fits(inner, value, depth + 1),
            (TypeRef::Named(id) | TypeRef::Boxed(id), _) => {
                let def = &self.types[*id];
                match &def.kind {
                    TypeKind::Alias(target) => self.fits(&TypeRef::Named(*target), value, depth + 1),
                    TypeKind::Enum(variants) => value.as_str().is_some_and(|text| variants.iter().any(|v| v.wire_name == text)),
                    TypeKind::Union(union) => union.variants.iter().any(|v| self.fits(&v.ty, value, depth + 1)),
                    TypeKind::Struct(fields) => {
                        let Value::Object(object) = value else { return false };
                        fields.iter().all(|f| match object.get(&f.wire_name) {
                            _ if f.flatten => self.fits(&f.ty, value, depth + 1),
                            Some(Value::Null) | None => f.optional,
                            Some(v) => self.fits(&f.ty, v, depth + 1),
                        })
                    }
                }
            }
            _ => false,
        }
    }
}

/// A string literal of the value's text (a number or boolean given for a string is its text).
fn string_literal(value: &Value) -> Literal {
    match value {
        Value::String(text) => Literal::string(text),
        Value::Null => Literal::string("string"),
        other => Literal::string(&other.to_string()),
    }
}

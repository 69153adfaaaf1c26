//! Stage 2: lower an `openapiv3::OpenAPI` into the [`ir`](crate::ir).
//!
//! Operations are placed in areas and resources by their paths (see [`placement`]); each becomes
//! a method returning a request builder. Schemas are lowered on demand (see the `schema` module),
//! so only the types an operation can actually take or return are generated, each with a
//! provisional id. Then passes over the ids, in this order (each later one takes the
//! [`TypeSpace`](crate::ir::TypeSpace) that only the naming pass makes): names are settled (the
//! `type_names` module), from what each type is, never from the order in which the spec was
//! walked; types identical to another one become aliases of it (`dedupe`); each type gets the
//! cargo features of the areas that reach it (`features`) and the directions it travels
//! (`directions`).

mod boxing;
mod context;
pub mod credentials;
mod dedupe;
pub(crate) mod document;
mod directions;
mod features;
pub mod placement;
pub mod prefix;
mod reach;
mod schema;
#[cfg(test)]
mod tests;
mod type_names;

use std::collections::{BTreeMap, HashMap};

use indexmap::IndexMap;
use openapiv3::{
    OpenAPI, Parameter, ParameterData, ParameterSchemaOrContent, QueryStyle, ReferenceOr, RequestBody,
    Response as SpecResponse,
};

use crate::error::SpecError;
use crate::pointer::Pointer;
use crate::ir::{
    Api, Area, Auth, Body, BodyKind, FormEncoding, FormStyle, Length, OPERATION_MODULE, Operation, PageStyle, Pagination,
    Param, ParamLocation, PathPart, Resource, Response, SCOPE_ARGUMENT, ScopedPath, TypeId, TypeRef,
};
use crate::load::LoadedSpec;
use crate::openapi;
use crate::naming::{Namespace, RustIdent, camel_ident, snake_ident};
use crate::profile::{Paging, Profile, ProfileChoice};
use crate::load::refs::{RefIndex, Referable};
use crate::report::{Reason, Report};
use crate::runtime_surface::{BUILDER_METHODS, CLIENT_METHODS, CRATE_ROOT_MODULES};
use placement::{Candidate, Place};
use schema::{Node, RESERVED_TYPE_NAMES, SchemaLowerer, View};

/// Methods every area and resource struct has besides its operations and accessors.
const NAMESPACE_METHODS: &[&str] = &["new", "clone", "fmt"];

/// Argument, field and local names the generated builder code uses itself: an input named like
/// one of them, or like a method of the runtime's builder, gets a suffix.
const METHOD_LOCALS: &[&str] = &["self", "client", "options", "body", "request", "value", "values", "call"];

/// Lowers a loaded spec into the IR.
pub fn lower(loaded: &LoadedSpec) -> Result<Api, SpecError> {
    lower_with_report(loaded).map(|(api, _)| api)
}

/// Lowers a loaded spec into the IR, with the warnings and fallbacks noted on the way, with the
/// profile its servers suggest ([`Profile::detect`]).
pub fn lower_with_report(loaded: &LoadedSpec) -> Result<(Api, Report), SpecError> {
    lower_with_profile(loaded, profile_of(loaded, ProfileChoice::Detect))
}

/// The profile `choice` gives for the spec `loaded`.
pub fn profile_of(loaded: &LoadedSpec, choice: ProfileChoice) -> Profile {
    let servers: Vec<&str> = loaded.api.servers.iter().map(|s| s.url.as_str()).collect();
    choice.resolve(&servers)
}

/// Lowers a loaded spec into the IR with the conventions of `profile`, with the warnings and
/// fallbacks noted on the way.
pub fn lower_with_profile(loaded: &LoadedSpec, profile: Profile) -> Result<(Api, Report), SpecError> {
    let api = &loaded.api;
    let mut schemas = SchemaLowerer::new(loaded, profile);
    let credentials = credentials::CredentialMap::new(&profile, api, &mut schemas.report);
    let mut lowerer = Lowerer { api, raw: &loaded.raw, profile, schemas, credentials };
    // Pointers into parts of the tree that loading rewrote are given as the document writes them.
    let areas = lowerer.lower_areas().map_err(|mut e| {
        e.pointer = loaded.moves.written(&e.pointer);
        e
    })?;
    for entry in lowerer.schemas.report.entries.iter_mut().skip(loaded.report.entries.len()) {
        entry.pointer = loaded.moves.written(&entry.pointer);
    }
    let (mut types, areas) = type_names::settle(std::mem::take(&mut lowerer.schemas.types), &lowerer.schemas.claims, areas);
    let describer = describe_operations(api, &loaded.raw);
    let contexts = crate::parallel::map(types.len(), |i| describer.describe(&types[TypeId::at(i)].source));
    for (def, context) in types.iter_mut().zip(contexts) {
        def.context = context;
    }
    // Before features: reachability follows an alias to its canonical type, which must be compiled
    // wherever an alias is used.
    lowerer.schemas.report.merged = Some(dedupe::merge_identical(&mut types));
    boxing::box_large_types(&mut types);
    features::assign_features(&mut types, &areas);
    directions::assign_directions(&mut types, &areas);
    // The crate's `Scope`, when some operation is one method at several scopes.
    let scoped = areas.iter().any(|a| a.operations.iter().chain(a.resources.iter().flat_map(|r| &r.operations)).any(|op| !op.scopes.is_empty()));
    let scopes = if scoped { profile.shared_scopes.iter().map(|(literal, variant)| ((*variant).to_owned(), (*literal).to_owned())).collect() } else { Vec::new() };
    let ir = Api {
        title: api.info.title.clone(),
        description: api.info.description.clone(),
        version: api.info.version.clone(),
        base_url: api.servers.first().map(|s| s.url.clone()),
        areas,
        types,
        credentials: lowerer.credentials.credentials,
        scopes,
    };
    Ok((ir, lowerer.schemas.report))
}

/// Says how type docs name each operation of the document (see [`context`]).
fn describe_operations<'a>(api: &'a OpenAPI, raw: &'a serde_json::Value) -> context::Describer<'a> {
    let mut describer = context::Describer::new(raw);
    for (path, item) in &api.paths.paths {
        let ReferenceOr::Item(item) = item else { continue };
        for (method, op) in item.iter() {
            describer.add_operation(&Pointer::from_tokens(["paths", path, method]), method, path, op.summary.as_deref());
        }
    }
    describer
}

struct Lowerer<'a> {
    api: &'a OpenAPI,
    /// The document as written, for what `openapiv3` normalizes (the case of `2xx` keys).
    raw: &'a serde_json::Value,
    profile: Profile,
    schemas: SchemaLowerer<'a>,
    /// The credential kinds, and which one each security requirement stands for.
    credentials: credentials::CredentialMap,
}

/// An operation found in `paths`, before lowering.
struct Found<'a> {
    path: &'a str,
    method: &'a str,
    op: &'a openapiv3::Operation,
    path_params: &'a [ReferenceOr<Parameter>],
    pointer: Pointer,
    operation_id: String,
    place: Place,
    /// The same operation at the profile's other shared scopes, when it is one method for all
    /// (see [`Lowerer::merge_scope_twins`]).
    twins: Vec<Found<'a>>,
}

impl<'a> Lowerer<'a> {
    fn lower_areas(&mut self) -> Result<Vec<Area>, SpecError> {
        let mut found: Vec<Found<'a>> = Vec::new();
        let mut operation_ids: HashMap<String, Pointer> = HashMap::new();
        let leading = self
            .profile
            .drop_path_noise
            .then(|| prefix::LeadingSegments::of(self.api.paths.paths.keys().map(String::as_str)));
        // Paths as placement sees them (without a version prefix the generic profile drops).
        let placement_path = |path: &str| leading.as_ref().map_or_else(|| path.to_owned(), |l| l.placement_path(path));
        let index = placement::PathIndex::new(self.api.paths.paths.iter().map(|(path, item)| {
            let methods = match item {
                ReferenceOr::Item(item) => item.iter().map(|(method, _)| method).collect(),
                ReferenceOr::Reference { .. } => Vec::new(),
            };
            (placement_path(path), methods)
        }));
        for (path, item) in &self.api.paths.paths {
            let paths_pointer = Pointer::from_tokens(["paths", path]);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } => {
                    return Err(SpecError::unsupported(
                        paths_pointer.push("$ref"),
                        format!("path item $ref `{reference}` is not supported"),
                    ));
                }
            };
            for (method, op) in item.iter() {
                let pointer = paths_pointer.push(method);
                let operation_id = match &op.operation_id {
                    Some(id) => id.clone(),
                    None => format!("{method}{path}"),
                };
                if let Some(first) = operation_ids.insert(operation_id.clone(), pointer.clone()) {
                    return Err(SpecError::invalid(
                        pointer.push("operationId"),
                        format!("operationId `{operation_id}` is already used at {first}"),
                    ));
                }
                let lists = method == "get" && answers_list(self.raw, &pointer, &self.profile);
                let place = placement::place(&self.profile, &index, &placement_path(path), method, lists);
                found.push(Found { path, method, op, path_params: &item.parameters, pointer, operation_id, place, twins: Vec::new() });
            }
        }

        // Area modules are accessors on `Client` and modules at the crate root, so some names are taken.
        let reserved: Vec<&str> = CLIENT_METHODS.iter().chain(CRATE_ROOT_MODULES).copied().collect();
        let mut area_names = Namespace::with_reserved(&reserved);
        let distinct: std::collections::BTreeSet<RustIdent> = found.iter().map(|f| f.place.area.clone()).collect();
        let area_modules: BTreeMap<RustIdent, RustIdent> =
            distinct.into_iter().map(|area| (area.clone(), area_names.claim(area))).collect();
        // A resource module must not take the name of its namespace's operation markers' module.
        for f in &mut found {
            f.place.area = area_modules[&f.place.area].clone();
            let resources = std::mem::take(&mut f.place.resources);
            f.place.resources = resources.into_iter().map(|r| Namespace::with_reserved(&[OPERATION_MODULE]).claim(r)).collect();
        }

        let found = self.merge_scope_twins(found);

        // Accessor names: areas on `Client`, resources on their parent. A resource accessor is
        // never also a method name of its parent (the method gives way).
        let mut children_of: BTreeMap<(RustIdent, Vec<RustIdent>), std::collections::BTreeSet<RustIdent>> = BTreeMap::new();
        for f in &found {
            for depth in 0..f.place.resources.len() {
                let parent = (f.place.area.clone(), f.place.resources[..depth].to_vec());
                children_of.entry(parent).or_default().insert(f.place.resources[depth].clone());
            }
        }
        let candidates: Vec<Candidate<'_>> = found
            .iter()
            .map(|f| Candidate { place: &f.place, path: f.path, http_method: f.method, operation_id: &f.operation_id })
            .collect();
        let reserved = |place: &Place| -> Vec<RustIdent> {
            let mut names: Vec<RustIdent> = NAMESPACE_METHODS.iter().map(|m| snake_ident(m)).collect();
            let key = (place.area.clone(), place.resources.clone());
            names.extend(children_of.get(&key).into_iter().flatten().cloned());
            names
        };
        let method_names = placement::settle_method_names(&self.profile, &candidates, &reserved);

        for f in &found {
            self.schemas.place_operation(&f.pointer, f.place.module());
        }
        // area -> resource path (empty for the area itself) -> method name -> operation
        let mut tree: BTreeMap<RustIdent, BTreeMap<Vec<RustIdent>, BTreeMap<RustIdent, Operation>>> = BTreeMap::new();
        for (f, (method_name, from_operation_id)) in found.iter().zip(method_names) {
            if from_operation_id {
                let detail = format!("`{method_name}`: `{}` was taken in `{}`", f.place.method, f.place.module());
                self.schemas.report.push(Reason::MethodFromOperationId, f.pointer.clone(), Some(detail));
            }
            // The builder shares its module with the namespace's struct.
            let owner = type_struct_name(f.place.resources.last().unwrap_or(&f.place.area));
            let mut op = self.lower_operation(f, method_name, &owner, !f.twins.is_empty())?;
            if !f.twins.is_empty() {
                self.share_scopes(&mut op, f);
            }
            let namespaces = tree.entry(f.place.area.clone()).or_default();
            // Every resource on the way is a namespace, with operations of its own or not.
            for depth in 1..f.place.resources.len() {
                namespaces.entry(f.place.resources[..depth].to_vec()).or_default();
            }
            namespaces.entry(f.place.resources.clone()).or_default().insert(op.method_name.clone(), op);
        }
        let mut areas = Vec::with_capacity(tree.len());
        let mut features = std::collections::BTreeSet::new();
        for (module, mut namespaces) in tree {
            let operations = namespaces.remove(&Vec::new()).map(|ops| ops.into_values().collect()).unwrap_or_default();
            // Sorted by path: every resource comes after the one it is nested in.
            let resources = namespaces
                .into_iter()
                .map(|(path, ops)| Resource {
                    struct_name: type_struct_name(path.last().expect("the area itself was removed")),
                    module: path,
                    operations: ops.into_values().collect(),
                })
                .collect();
            areas.push(Area {
                struct_name: type_struct_name(&module),
                feature: area_feature(&module, &mut features),
                module,
                operations,
                resources,
            });
        }
        Ok(areas)
    }

    /// Finds the operations that are one resource's twins at the profile's shared scopes (the
    /// same place, HTTP method and path below the scope, the same inputs apart from the scope's
    /// id, the same answers): the twin at the first shared scope stays, and holds the others in
    /// its `twins`, to become scopes of its method.
    fn merge_scope_twins(&self, found: Vec<Found<'a>>) -> Vec<Found<'a>> {
        let shared = self.profile.shared_scopes;
        let below_scope = |f: &Found<'_>| {
            let rest = f.path.splitn(4, '/').nth(3).unwrap_or("");
            let blank: String = rest.split('/').map(|s| if s.starts_with('{') { "{}" } else { s }).collect::<Vec<_>>().join("/");
            (f.place.area.clone(), f.place.resources.clone(), f.place.method.clone(), f.method.to_owned(), blank)
        };
        let mut groups: BTreeMap<_, Vec<usize>> = BTreeMap::new();
        for (i, f) in found.iter().enumerate() {
            if f.place.scope.as_deref().is_some_and(|s| shared.iter().any(|(literal, _)| *literal == s)) {
                groups.entry(below_scope(f)).or_default().push(i);
            }
        }
        let mut merged_into: Vec<Option<usize>> = vec![None; found.len()];
        for members in groups.values() {
            let scope_rank = |i: &usize| shared.iter().position(|(literal, _)| Some(*literal) == found[*i].place.scope.as_deref());
            let mut by_scope: Vec<usize> = members.clone();
            by_scope.sort_by_key(scope_rank);
            by_scope.dedup_by_key(|i| scope_rank(i));
            if by_scope.len() != members.len() || by_scope.len() != shared.len() {
                continue;
            }
            let first = &found[by_scope[0]];
            if by_scope[1..].iter().all(|&i| same_inputs(self.raw, first, &found[i])) {
                by_scope[1..].iter().for_each(|&i| merged_into[i] = Some(by_scope[0]));
            }
        }
        let mut slots: Vec<Option<Found<'a>>> = found.into_iter().map(Some).collect();
        for (twin, primary) in merged_into.iter().enumerate() {
            if let Some(primary) = *primary {
                let twin = slots[twin].take().expect("a twin is merged once");
                slots[primary].as_mut().expect("a primary is never merged").twins.push(twin);
            }
        }
        slots.into_iter().flatten().collect()
    }

    /// Makes `op` (lowered from `primary`) one method for `primary`'s scope and its twins':
    /// the scope's id leaves the path parameters and becomes the `Scope` argument.
    fn share_scopes(&self, op: &mut Operation, primary: &Found<'a>) {
        let variant_of = |f: &Found<'_>| {
            let scope = f.place.scope.as_deref().unwrap_or_default();
            self.profile.shared_scopes.iter().find(|(literal, _)| *literal == scope).map_or_else(String::new, |(_, v)| (*v).to_owned())
        };
        let primary_id = scope_id(primary.path);
        let Some(at) = op.path_params.iter().position(|p| p.wire_name == primary_id) else { return };
        let id = op.path_params.remove(at);
        op.scopes.push(ScopedPath { variant: variant_of(primary), path: primary.path.to_owned(), id: id.clone(), operation_id: primary.operation_id.clone() });
        for twin in &primary.twins {
            let wire_name = scope_id(twin.path).to_owned();
            let length = declared_length(self.raw, twin, &wire_name);
            let twin_id = Param { rust_name: snake_ident(&wire_name), wire_name, length, ..id.clone() };
            op.scopes.push(ScopedPath { variant: variant_of(twin), path: twin.path.to_owned(), id: twin_id, operation_id: twin.operation_id.clone() });
        }
        // In the profile's order, whatever the order of the spec.
        op.scopes.sort_by_key(|s| self.profile.shared_scopes.iter().position(|(_, variant)| *variant == s.variant));
    }

    fn lower_operation(&mut self, f: &Found<'a>, method_name: RustIdent, owner: &str, scoped: bool) -> Result<Operation, SpecError> {
        let mut builder_names = Namespace::with_reserved(RESERVED_TYPE_NAMES);
        builder_names.reserve(owner);
        // From the method's source form: `r#type` gives `RType`.
        let builder_name = builder_names.claim_camel(camel_ident(&method_name.to_string()));
        let type_prefix = builder_name.clone();

        let scope_argument: &[&str] = if scoped { &[SCOPE_ARGUMENT] } else { &[] };
        let reserved_locals = [METHOD_LOCALS, BUILDER_METHODS, scope_argument].concat();
        let mut locals = Namespace::with_reserved(&reserved_locals);
        let params = self.lower_parameters(f, &type_prefix, &mut locals)?;
        let (path_params, params): (Vec<Param>, Vec<Param>) =
            params.into_iter().partition(|p| p.location == ParamLocation::Path);
        let (_, path_params) =
            split_path(f.path, path_params, &params, &f.pointer, &mut locals, &mut self.schemas.report)?;

        let body = match &f.op.request_body {
            Some(body) => self.lower_body(body, &f.pointer.push("requestBody"), &type_prefix)?,
            None => None,
        };
        let Responses { response, accept, error_responses } = self.lower_responses(f, &type_prefix)?;
        let auth = self.lower_auth(f)?;
        let pagination = pagination(&response, &params, &self.profile.paging, f.method == "get" && self.profile.undeclared_pages);

        Ok(Operation {
            operation_id: f.operation_id.clone(),
            method_name,
            builder_name,
            http_method: f.method.to_ascii_uppercase(),
            path: f.path.to_owned(),
            path_params,
            scopes: Vec::new(),
            params,
            body,
            response,
            accept,
            auth,
            summary: f.op.summary.clone(),
            description: f.op.description.clone(),
            error_responses,
            deprecated: f.op.deprecated,
            pagination,
        })
    }

    /// Path-item parameters merged with the operation's (the operation's win), in spec order.
    fn lower_parameters(&mut self, f: &Found<'a>, type_prefix: &str, locals: &mut Namespace) -> Result<Vec<Param>, SpecError> {
        let mut merged: IndexMap<(String, &'static str), (&'a ParameterData, ParamLocation, Pointer, bool)> = IndexMap::new();
        let sources = [
            (f.path_params, Pointer::from_tokens(["paths", f.path, "parameters"])),
            (f.op.parameters.as_slice(), f.pointer.push("parameters")),
        ];
        for (list, list_pointer) in sources {
            for (i, param) in list.iter().enumerate() {
                let at = list_pointer.push(&i.to_string());
                let parameters = self.api.components.as_ref().map(|c| &c.parameters);
                let (param, at) = resolve_component(param, parameters, self.schemas.refs, &at)?;
                let (data, location, place) = match param {
                    Parameter::Path { parameter_data, .. } => (parameter_data, ParamLocation::Path, "path"),
                    Parameter::Query { parameter_data, .. } => (parameter_data, ParamLocation::Query, "query"),
                    Parameter::Header { parameter_data, .. } => (parameter_data, ParamLocation::Header, "header"),
                    Parameter::Cookie { .. } => {
                        return Err(SpecError::unsupported(at, "cookie parameters are not supported"));
                    }
                };
                if data.name.is_empty() {
                    // Nothing can be sent under an empty name (a converted collection's blank
                    // header row, say).
                    self.schemas.report.push_once(Reason::UnnamedParameter, at.push("name"), None);
                    continue;
                }
                let deep_object = matches!(param, Parameter::Query { style: QueryStyle::DeepObject, .. });
                merged.insert((data.name.clone(), place), (data, location, at, deep_object));
            }
        }
        let mut params = Vec::with_capacity(merged.len());
        for ((name, _), (data, location, at, deep_object)) in merged {
            if location == ParamLocation::Path && !f.path.contains(&format!("{{{name}}}")) {
                let detail = format!("`{name}` is not in `{}`", f.path);
                self.schemas.report.push_once(Reason::UnusedPathParameter, at, Some(detail));
                continue;
            }
            let hint = format!("{type_prefix}{}", camel_ident(&name));
            let (lowered, schema_doc) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    let at = at.push("schema");
                    let lowered = self.schemas.lower(Node::of(schema), &at, &hint)?;
                    (lowered, self.schemas.doc_of(Node::of(schema), &at)?)
                }
                ParameterSchemaOrContent::Content(_) => {
                    (schema::Lowered { ty: TypeRef::Json, nullable: false, length: Length::default() }, None)
                }
            };
            let required = data.required || location == ParamLocation::Path;
            // A deep object keeps its type: the form encoder writes any value.
            let mut ty = if deep_object { lowered.ty } else { self.parameter_type(lowered.ty, location) };
            let mut description = data.description.clone().or(schema_doc);
            if location == ParamLocation::Query && self.profile.paging.counts(&name) && matches!(ty, TypeRef::Integer | TypeRef::Number | TypeRef::Json) {
                // A page number or page size is a count whatever numeric `type` the spec says, or
                // when it says none; a string stays a string (Page Shield's `page` may be `all`).
                ty = TypeRef::Unsigned;
                if let Some(minimum) = paging_minimum(&data.format).filter(|m| *m > 0) {
                    let note = format!("At least {minimum}.");
                    description = Some(description.map_or_else(|| note.clone(), |d| format!("{}\n\n{note}", d.trim_end())));
                }
            }
            params.push(Param {
                rust_name: locals.claim(snake_ident(&name)),
                wire_name: name,
                location,
                required,
                ty,
                length: lowered.length,
                description,
                deep_object,
            });
        }
        Ok(params)
    }

    fn lower_body(&mut self, body: &'a ReferenceOr<RequestBody>, at: &Pointer, type_prefix: &str) -> Result<Option<Body>, SpecError> {
        let bodies = self.api.components.as_ref().map(|c| &c.request_bodies);
        let (body, at) = resolve_component(body, bodies, self.schemas.refs, at)?;
        let content = at.push("content");
        if let Some(media) = body.content.keys().find(|media| !is_header_value(media)) {
            // The runtime sends it with `HeaderValue::from_static`, which would panic.
            return Err(SpecError::unsupported(
                content.push(media),
                format!("media type {media:?} cannot be sent as a Content-Type header (only visible ASCII is allowed)"),
            ));
        }
        let multipart = body.content.keys().find(|media| has_essence(media, "multipart/form-data"));
        let form = body.content.iter().find(|(media, _)| has_essence(media, FORM));
        // JSON wins; then a form, which is typed, over a multipart form the caller builds.
        let kind_and_type = match (body.content.iter().find(|(media, _)| is_json(media)), form) {
            (None, Some((media, media_type))) => {
                Some((self.lower_form(media_type, &content.push(media), type_prefix)?, media.clone()))
            }
            (None, None) if multipart.is_some() => multipart.map(|media| (BodyKind::Multipart, media.clone())),
            (Some((media, media_type)), _) => {
                let kind = match &media_type.schema {
                    Some(schema) => {
                        let at = content.join([media, "schema"]);
                        let lowered = self.schemas.lower(Node::of(schema), &at, &format!("{type_prefix}Body"))?;
                        BodyKind::Json(lowered.ty)
                    }
                    None => BodyKind::Json(TypeRef::Json),
                };
                Some((kind, media.clone()))
            }
            (None, None) => body.content.keys().next().map(|media| (BodyKind::Raw, media.clone())),
        };
        Ok(kind_and_type.map(|(kind, media_type)| Body {
            // A body with no schema says nothing the caller could fill in: it is optional to set.
            positional: body.required && kind != BodyKind::Json(TypeRef::Json),
            media_type,
            kind,
            required: body.required,
            description: body.description.clone(),
        }))
    }

    /// An `application/x-www-form-urlencoded` body at `at`: the schema's type, and how its
    /// `encoding` map says each property is written.
    fn lower_form(&mut self, media_type: &'a openapiv3::MediaType, at: &Pointer, type_prefix: &str) -> Result<BodyKind, SpecError> {
        let ty = match &media_type.schema {
            Some(schema) => self.schemas.lower(Node::of(schema), &at.push("schema"), &format!("{type_prefix}Body"))?.ty,
            None => TypeRef::Json,
        };
        let encodings = media_type
            .encoding
            .iter()
            .map(|(property, encoding)| {
                let json = encoding.content_type.as_deref().is_some_and(is_json);
                // `openapiv3` reads a missing `explode` as false; the default depends on the style.
                let written = at.join(["encoding", property, "explode"]);
                let explode = |default: bool| written.find(self.raw).and_then(serde_json::Value::as_bool).unwrap_or(default);
                let (style, explode) = match (&encoding.style, json) {
                    (_, true) => (FormStyle::Json, false),
                    (None | Some(QueryStyle::Form), _) => (FormStyle::Form, explode(true)),
                    (Some(QueryStyle::SpaceDelimited), _) => (FormStyle::SpaceDelimited, explode(false)),
                    (Some(QueryStyle::PipeDelimited), _) => (FormStyle::PipeDelimited, explode(false)),
                    (Some(QueryStyle::DeepObject), _) => (FormStyle::DeepObject, explode(false)),
                };
                FormEncoding { property: property.clone(), style, explode }
            })
            // What the default says anyway is left out of the generated code.
            .filter(|e| !(e.style == FormStyle::Form && e.explode))
            .collect();
        Ok(BodyKind::Form(ty, encodings))
    }

    /// The success response (`openapi::success_response`) decides the return type; the failures
    /// are listed in the docs.
    fn lower_responses(&mut self, f: &Found<'a>, type_prefix: &str) -> Result<Responses, SpecError> {
        let responses = self.api.components.as_ref().map(|c| &c.responses);
        let responses_pointer = f.pointer.push("responses");
        let written_keys = responses_pointer.find(self.raw).and_then(serde_json::Value::as_object);
        let key = |status| openapi::written_status_key(written_keys, status);
        let chosen = openapi::success_response(&f.op.responses);
        let success = match chosen {
            Some((status, response)) => {
                Some(resolve_component(response, responses, self.schemas.refs, &responses_pointer.push(&key(status)))?)
            }
            None => None,
        };
        let mut errors = Vec::new();
        let failures = f.op.responses.responses.iter().filter(|(status, _)| !openapi::is_success(status)).map(|(s, r)| (Some(s), r));
        // `default` is a failure unless it was chosen as the success.
        let default = f.op.responses.default.as_ref().filter(|_| !matches!(chosen, Some((None, _))));
        for (status, response) in failures.chain(default.map(|d| (None, d))) {
            let key = key(status);
            let (response, _) = resolve_component(response, responses, self.schemas.refs, &responses_pointer.push(&key))?;
            errors.push((key, response.description.clone()));
        }
        let (response, accept) = match success {
            Some((response, at)) => (self.lower_success(response, &at, type_prefix)?, accept_of(response)),
            None => (Response::Empty, JSON.to_owned()),
        };
        Ok(Responses { response, accept, error_responses: errors })
    }

    fn lower_success(&mut self, response: &'a SpecResponse, at: &Pointer, type_prefix: &str) -> Result<Response, SpecError> {
        let Some((media, media_type)) = response.content.iter().find(|(media, _)| is_json(media)) else {
            return Ok(if response.content.is_empty() { Response::Empty } else { Response::Bytes });
        };
        let Some(schema) = &media_type.schema else {
            return Ok(Response::Json(TypeRef::Json));
        };
        let at = at.join(["content", media, "schema"]);
        let node = Node::of(schema);
        let (resolved, resolved_pointer, _) = self.schemas.deref(node, &at)?;
        let merged = self.schemas.merge_object(&View::of(resolved), &resolved_pointer, &[])?;
        // The profile's envelope is unwrapped.
        let Some(envelope) = self.profile.envelope.filter(|e| e.frames(|name| merged.properties.contains_key(name))) else {
            let lowered = self.schemas.lower(node, &at, &format!("{type_prefix}Response"))?;
            return Ok(Response::Json(lowered.ty));
        };
        let result_info = merged.properties.contains_key(envelope.result_info);
        match merged.properties.get(envelope.result) {
            Some((result, result_pointer)) => {
                let lowered = self.schemas.lower(*result, result_pointer, &format!("{type_prefix}Result"))?;
                Ok(Response::Envelope { result: Some(lowered.ty), nullable: lowered.nullable, result_info })
            }
            None => Ok(Response::Envelope { result: None, nullable: true, result_info }),
        }
    }

    /// Parameters are sent as text: scalars and string enums as themselves, arrays of those as
    /// repeated values, anything else as JSON text (the documented fallback).
    /// A path segment is text whatever the schema says, so a free-form path parameter (often an
    /// empty schema `{}`) is a string rather than JSON.
    fn parameter_type(&self, ty: TypeRef, location: ParamLocation) -> TypeRef {
        let is_scalar = |ty: &TypeRef| match ty {
            TypeRef::String | TypeRef::Integer | TypeRef::Number | TypeRef::Unsigned | TypeRef::Boolean => true,
            TypeRef::Named(id) => self.schemas.is_enum(*id),
            _ => false,
        };
        match ty {
            TypeRef::Array(item) if is_scalar(&item) => TypeRef::Array(item),
            ty if is_scalar(&ty) => ty,
            _ if location == ParamLocation::Path => TypeRef::String,
            _ => TypeRef::Json,
        }
    }

    /// Maps the security requirements onto the crate's credential kinds (see [`credentials`]).
    fn lower_auth(&self, f: &Found<'a>) -> Result<Auth, SpecError> {
        // The operation's own requirements replace the document's; errors point where they are.
        let (requirements, security_pointer) = match (&f.op.security, &self.api.security) {
            (Some(own), _) => (own, f.pointer.push("security")),
            (None, Some(global)) => (global, Pointer::root().push("security")),
            (None, None) => return Ok(Auth::Any),
        };
        if requirements.is_empty() {
            return Ok(Auth::None);
        }
        let schemes = self.api.components.as_ref().map(|c| &c.security_schemes);
        for (i, requirement) in requirements.iter().enumerate() {
            if let Some(name) = requirement.keys().find(|name| !schemes.is_some_and(|s| s.contains_key(*name))) {
                let at = security_pointer.join([&i.to_string(), name]);
                return Err(SpecError::invalid(at, format!("security scheme `{name}` is not defined in components.securitySchemes")));
            }
        }
        if self.profile.any_credentials {
            return Ok(Auth::Any);
        }
        let mut kinds: Vec<String> = Vec::new();
        // Set when a requirement is empty (credentials optional) or has no kind.
        let mut any = false;
        for requirement in requirements {
            match self.credentials.kind_for(requirement) {
                Some(kind) if !kinds.iter().any(|k| k == kind) => kinds.push(kind.to_owned()),
                Some(_) => {}
                None => any = true,
            }
        }
        Ok(if any { Auth::Any } else { Auth::OneOf(kinds) })
    }
}

/// What an operation's responses say: what a success returns, the media type to ask for, and the
/// documented failures (status, description).
struct Responses {
    response: Response,
    accept: String,
    error_responses: Vec<(String, String)>,
}

/// Follows a `$ref` (parameters, request bodies, responses) to `#/components/<section>/<name>`
/// or to any other local pointer with an object of the right shape (see [`crate::load::refs`]): the
/// item and the pointer where it is written, so errors inside it point there.
pub(crate) fn resolve_component<'a, T: Referable>(
    item: &'a ReferenceOr<T>,
    components: Option<&'a IndexMap<String, ReferenceOr<T>>>,
    refs: &'a RefIndex,
    at: &Pointer,
) -> Result<(&'a T, Pointer), SpecError> {
    match item {
        ReferenceOr::Item(item) => Ok((item, at.clone())),
        ReferenceOr::Reference { reference } => {
            let (item, pointer, _) = crate::load::refs::resolve(reference, components, refs, at)?;
            Ok((item, pointer))
        }
    }
}




/// Splits `/a/{x}/b` into literals and parameters. A variable that no parameter declares becomes
/// a required string parameter (a warning); one declared in another place (`in: query`) is an
/// error, since which was meant is a guess.
fn split_path(
    path: &str,
    params: Vec<Param>,
    others: &[Param],
    pointer: &Pointer,
    locals: &mut Namespace,
    report: &mut Report,
) -> Result<(Vec<PathPart>, Vec<Param>), SpecError> {
    let mut parts = Vec::new();
    let mut ordered: Vec<Param> = Vec::with_capacity(params.len());
    let mut remaining = params;
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            return Err(SpecError::invalid(pointer, format!("path `{path}` has an unclosed `{{`")));
        };
        if open > 0 {
            parts.push(PathPart::Literal(rest[..open].to_owned()));
        }
        let name = &rest[open + 1..close];
        if let Some(index) = ordered.iter().position(|p| p.wire_name == name) {
            // The same parameter twice in one template (Cloudflare has such paths): one argument.
            parts.push(PathPart::Param(index));
        } else if let Some(index) = remaining.iter().position(|p| p.wire_name == name) {
            ordered.push(remaining.remove(index));
            parts.push(PathPart::Param(ordered.len() - 1));
        } else if name.is_empty() || others.iter().any(|p| p.wire_name == name) {
            return Err(SpecError::invalid(pointer, format!("path `{path}` uses `{{{name}}}` but no path parameter `{name}` is declared")));
        } else {
            report.push(Reason::UndeclaredPathParameter, pointer, Some(format!("`{{{name}}}` in `{path}`")));
            ordered.push(Param {
                wire_name: name.to_owned(),
                rust_name: locals.claim(snake_ident(name)),
                location: ParamLocation::Path,
                required: true,
                ty: TypeRef::String,
                length: Length::default(),
                description: None,
                deep_object: false,
            });
            parts.push(PathPart::Param(ordered.len() - 1));
        }
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_owned()));
    }
    // Unused declarations were dropped (with a warning) before their schemas were lowered; one
    // left here is in the text but not a variable (`/a/{{x}}`).
    if let Some(extra) = remaining.first() {
        return Err(SpecError::invalid(
            pointer,
            format!("path parameter `{}` is declared but `{path}` has no `{{{}}}` variable", extra.wire_name, extra.wire_name),
        ));
    }
    Ok((parts, ordered))
}

const JSON: &str = "application/json";

/// A list in pages: an envelope with `result_info` whose `result` is an array, and a `cursor`
/// (a string) or `page` (a number, or a string or untyped value that holds one) query parameter
/// to ask for the next one; with `undeclared_page`, `page` where the operation declares neither.
fn pagination(response: &Response, params: &[Param], paging: &Paging, undeclared_page: bool) -> Option<Pagination> {
    let Response::Envelope { result: Some(TypeRef::Array(item)), result_info: true, .. } = response else {
        return None;
    };
    let declared = |name: &str, types: &[TypeRef]| {
        params.iter().any(|p| p.location == ParamLocation::Query && p.wire_name == name && types.contains(&p.ty))
    };
    let page_types = [TypeRef::Integer, TypeRef::Unsigned, TypeRef::Number, TypeRef::String, TypeRef::Json];
    let (param, style) = if declared(paging.cursor, &[TypeRef::String]) {
        (paging.cursor, PageStyle::Cursor)
    } else if declared(paging.page, &page_types) || (undeclared_page && !params.iter().any(|p| p.wire_name == paging.page || p.wire_name == paging.cursor)) {
        (paging.page, PageStyle::Page)
    } else {
        return None;
    };
    Some(Pagination { param: param.to_owned(), style, item: (**item).clone() })
}

/// The `minimum` of a paging parameter's inline schema, as a whole number.
fn paging_minimum(format: &ParameterSchemaOrContent) -> Option<u64> {
    let ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = format else { return None };
    match &schema.schema_kind {
        openapiv3::SchemaKind::Type(openapiv3::Type::Integer(i)) => i.minimum.and_then(|m| u64::try_from(m).ok()),
        openapiv3::SchemaKind::Type(openapiv3::Type::Number(n)) => n.minimum.filter(|m| m.fract() == 0.0 && *m >= 0.0 && *m < 9.0e15).map(|m| m as u64),
        _ => None,
    }
}

/// What to ask for with `Accept`: the success response's media type, JSON when it has none (the
/// API's errors are JSON), and any type when it offers several that are not JSON.
fn accept_of(response: &SpecResponse) -> String {
    let mut media = response.content.keys();
    match (media.next(), media.next()) {
        (None, _) => JSON.to_owned(),
        (Some(only), None) => only.clone(),
        _ => response.content.keys().find(|m| is_json(m)).cloned().unwrap_or_else(|| "*/*".to_owned()),
    }
}

/// `oauth_clients` -> `OauthClients`: the struct behind an area or resource accessor, which must
/// not shadow a prelude name in its module.
fn type_struct_name(module: &RustIdent) -> String {
    Namespace::with_reserved(RESERVED_TYPE_NAMES).claim_camel(camel_ident(module.as_str()))
}

/// Whether `text` is a valid HTTP header value that `HeaderValue::from_static` accepts: visible
/// ASCII, spaces and tabs.
fn is_header_value(text: &str) -> bool {
    text.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
}

/// Cargo features every generated crate declares besides one per area: `default`, `full` (every
/// area) and `serde-all` (both serde derives on every type).
pub const RESERVED_FEATURES: [&str; 3] = ["default", "full", "serde-all"];

/// The cargo feature of the area with module `module`: the module name in kebab case without the
/// underscores that made it an identifier (`r#type` -> `type`, `_2010_04_01` -> `2010-04-01`,
/// `self_` -> `self`), with `-area` added where that is a reserved feature name (an API with a
/// `default` area). Modules are ASCII identifiers, so the result is a valid feature name
/// ([`is_feature_name`]); `taken` makes it unique (a number is added).
fn area_feature(module: &RustIdent, taken: &mut std::collections::BTreeSet<String>) -> String {
    let words: Vec<&str> = module.as_str().split('_').filter(|w| !w.is_empty()).collect();
    let feature = if words.is_empty() { "area".to_owned() } else { words.join("-") };
    let feature = if RESERVED_FEATURES.contains(&feature.as_str()) { format!("{feature}-area") } else { feature };
    let mut candidate = feature.clone();
    let mut n = 1;
    while !taken.insert(candidate.clone()) {
        n += 1;
        candidate = format!("{feature}-{n}");
    }
    candidate
}

/// Whether cargo reads `name` as a feature name: a letter, digit or `_` first, then letters,
/// digits, `_`, `-`, `+` and `.` (the ASCII subset of cargo's rule, which is all the generator
/// writes).
pub fn is_feature_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '.'))
}

/// The media type of form bodies.
const FORM: &str = "application/x-www-form-urlencoded";

/// Whether `media`, parameters aside, is `essence` (case-insensitively).
fn has_essence(media: &str, essence: &str) -> bool {
    media.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case(essence))
}

/// Whether two operations at different scopes take the same inputs (apart from the scope's id
/// parameter) and give the same answers, as the document writes them: their other parameters,
/// request bodies, success responses and security requirements are equal, descriptions and
/// examples aside.
fn same_inputs(raw: &serde_json::Value, a: &Found<'_>, b: &Found<'_>) -> bool {
    use serde_json::Value;
    let (Some(op_a), Some(op_b)) = (a.pointer.find(raw), b.pointer.find(raw)) else { return false };
    // The declared parameters but the scope's id, each with its `$ref` followed (as `resolved`
    // follows it at depth 0).
    let params = |f: &Found<'_>| -> Vec<&Value> {
        let scope_id = scope_id(f.path);
        document::declared_parameters(raw, f.path, f.method)
            .into_iter()
            .map(|p| followed(raw, p, 0))
            .filter(|p| !(p.get("in").and_then(Value::as_str) == Some("path") && p.get("name").and_then(Value::as_str) == Some(scope_id)))
            .collect()
    };
    // The same parameters in any order: each of `a`'s matches one of `b`'s not matched yet.
    let (params_a, mut params_b) = (params(a), params(b));
    let same_params = params_a.len() == params_b.len()
        && params_a.iter().all(|p| match params_b.iter().position(|q| same_resolved(raw, p, q, 1)) {
            Some(i) => {
                params_b.swap_remove(i);
                true
            }
            None => false,
        });
    fn successes(op: &Value) -> Vec<(&String, &Value)> {
        op.get("responses").and_then(Value::as_object).into_iter().flatten().filter(|(code, _)| code.starts_with('2')).collect()
    }
    let (responses_a, responses_b) = (successes(op_a), successes(op_b));
    let same_responses = responses_a.len() == responses_b.len()
        && responses_a.iter().all(|(code, r)| responses_b.iter().any(|(c, s)| c == code && same_resolved(raw, r, s, 0)));
    let same_body = match (op_a.get("requestBody"), op_b.get("requestBody")) {
        (Some(x), Some(y)) => same_resolved(raw, x, y, 0),
        (x, y) => x.is_none() && y.is_none(),
    };
    same_params && same_responses && same_body && op_a.get("security") == op_b.get("security")
}

/// The name of the scope's id parameter of a scoped path: `account_id` for `/accounts/{account_id}/..`.
fn scope_id(path: &str) -> &str {
    path.split('/').nth(2).unwrap_or("").trim_matches(|c| c == '{' || c == '}')
}

/// Whether `a` and `b` are equal with their descriptions and examples left out and their `$ref`s
/// followed, to [`RESOLVE_DEPTH`] (deeper, a `$ref` stays as written: two copies of one shape
/// under two component names may then differ, and the twins keep their own methods). Compared
/// in place: copying the resolved trees was half of all the generator's work.
fn same_resolved(raw: &serde_json::Value, a: &serde_json::Value, b: &serde_json::Value, depth: usize) -> bool {
    use serde_json::Value;
    let (a, b) = (followed(raw, a, depth), followed(raw, b, depth));
    // One node (twins often name the same component): equal to itself, without walking it.
    if std::ptr::eq(a, b) {
        return true;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let kept = |map: &serde_json::Map<String, Value>| map.keys().filter(|k| !IGNORED_IN_COMPARISON.contains(&k.as_str())).count();
            kept(x) == kept(y)
                && x.iter()
                    .filter(|(k, _)| !IGNORED_IN_COMPARISON.contains(&k.as_str()))
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_resolved(raw, v, w, depth + 1)))
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same_resolved(raw, v, w, depth + 1)),
        (x, y) => x == y,
    }
}

/// What [`same_resolved`] leaves out of a comparison.
const IGNORED_IN_COMPARISON: &[&str] = &["description", "example", "examples", "summary"];

/// `value`, or what its `$ref` names when `depth` is under [`RESOLVE_DEPTH`].
fn followed<'v>(raw: &'v serde_json::Value, value: &'v serde_json::Value, depth: usize) -> &'v serde_json::Value {
    match value.get("$ref") {
        Some(_) if depth < RESOLVE_DEPTH => document::follow(raw, value),
        _ => value,
    }
}

/// The `minLength`/`maxLength` the document declares for path parameter `name` of `f`.
fn declared_length(raw: &serde_json::Value, f: &Found<'_>, name: &str) -> Length {
    let declared = document::declared_parameters(raw, f.path, f.method);
    let schema = document::find_parameter(&declared, name, "path").and_then(|p| p.get("schema")).map(|s| document::follow(raw, s));
    let bound = |key: &str| schema.and_then(|s| s.get(key)).and_then(serde_json::Value::as_u64);
    Length { min: bound("minLength"), max: bound("maxLength") }
}

/// Whether the operation at `pointer` (in the document as written) answers a list: its first
/// success response's JSON is an array or an object whose `result` (the profile's envelope
/// result, `result` without one) is one, or the operation takes one of the profile's paging
/// parameters (`page`, `per_page` or `cursor`: it is read in pages).
fn answers_list(raw: &serde_json::Value, pointer: &Pointer, profile: &Profile) -> bool {
    use serde_json::Value;
    let Some(op) = pointer.find(raw) else { return false };
    let paged = op.get("parameters").and_then(Value::as_array).is_some_and(|params| {
        params.iter().map(|p| document::follow(raw, p)).any(|p| {
            p.get("in").and_then(Value::as_str) == Some("query")
                && p.get("name").and_then(Value::as_str).is_some_and(|name| profile.paging.pages_by(name))
        })
    });
    if paged {
        return true;
    }
    let Some(responses) = op.get("responses").and_then(Value::as_object) else { return false };
    let success = responses.iter().filter(|(code, _)| code.starts_with('2')).min_by_key(|(code, _)| code.as_str());
    let Some(schema) = success
        .and_then(|(_, r)| document::follow(raw, r).get("content")?.as_object()?.iter().find(|(m, _)| is_json(m)).map(|(_, c)| c))
        .and_then(|content| content.get("schema"))
    else {
        return false;
    };
    let schema = document::follow(raw, schema);
    if is_array(raw, schema, 0) {
        return true;
    }
    let mut properties = Vec::new();
    collect_properties(raw, schema, 0, &mut properties);
    let result = profile.envelope.map_or("result", |envelope| envelope.result);
    properties.iter().any(|(name, value)| *name == result && is_array(raw, value, 0))
}

/// How deep [`same_inputs`] compares two operations' schemas.
const RESOLVE_DEPTH: usize = 40;

/// How deep [`answers_list`] follows `allOf`s and `$ref`s.
const SHAPE_DEPTH: usize = 8;

/// Whether a schema is an array (itself, or through an `allOf` member). A `oneOf`/`anyOf` that
/// only may be one (Cloudflare's generic envelope: an object, an array or a string) is not.
fn is_array(raw: &serde_json::Value, schema: &serde_json::Value, depth: usize) -> bool {
    let schema = document::follow(raw, schema);
    if depth > SHAPE_DEPTH {
        return false;
    }
    schema.get("type").and_then(serde_json::Value::as_str) == Some("array")
        || schema.get("allOf").and_then(serde_json::Value::as_array).is_some_and(|members| members.iter().any(|m| is_array(raw, m, depth + 1)))
}

/// The properties of an object schema and of its `allOf` members.
fn collect_properties<'v>(raw: &'v serde_json::Value, schema: &'v serde_json::Value, depth: usize, out: &mut Vec<(&'v str, &'v serde_json::Value)>) {
    let schema = document::follow(raw, schema);
    if depth > SHAPE_DEPTH {
        return;
    }
    if let Some(properties) = schema.get("properties").and_then(serde_json::Value::as_object) {
        out.extend(properties.iter().map(|(k, v)| (k.as_str(), v)));
    }
    for member in schema.get("allOf").and_then(serde_json::Value::as_array).into_iter().flatten() {
        collect_properties(raw, member, depth + 1, out);
    }
}

pub(crate) fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

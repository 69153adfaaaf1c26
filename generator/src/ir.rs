//! The intermediate representation between the spec and the emitted code.
//!
//! Everything here is decided: `$ref`s are resolved, inline schemas have names, identifiers are
//! valid and unique, and wire names sit beside them. The emitter turns this into tokens without
//! looking at the spec; nothing from `openapiv3` leaks past the lowering.
//!
//! A snake_case identifier, which may be a keyword, is a [`RustIdent`]. Type and variant names
//! (UpperCamelCase, never keywords) are text. A type's module is a [`ModulePath`].

use crate::naming::RustIdent;
use crate::pointer::Pointer;

/// A whole API, ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.version`.
    pub version: String,
    /// The first `servers[].url`, if any.
    pub base_url: Option<String>,
    /// The product areas, sorted by module name: `client.<area>()`.
    pub areas: Vec<Area>,
    /// Named types, by id; iterated in path order.
    pub types: TypeSpace,
    /// The credential kinds and their environment variables.
    pub credentials: Credentials,
    /// The variants of the crate's `Scope` (`Account`, `Zone`) with their path literal, when an
    /// operation is at several scopes; empty otherwise.
    pub scopes: Vec<(String, String)>,
}

impl Api {
    /// Every operation: each area's own, then its resources', in the order the areas list them.
    pub fn operations(&self) -> impl Iterator<Item = &Operation> {
        self.areas.iter().flat_map(|a| a.operations.iter().chain(a.resources.iter().flat_map(|r| &r.operations)))
    }

    /// Whether an operation sends a form body or a `deepObject` query parameter: only then does
    /// the crate get the runtime's form encoder.
    pub fn encodes_forms(&self) -> bool {
        self.operations().any(|op| {
            matches!(op.body, Some(Body { kind: BodyKind::Form(..), .. })) || op.params.iter().any(|p| p.deep_object)
        })
    }
}

/// The credentials a client of this API can be given: the crate's `Credentials` enum, and what
/// `Client::from_env` reads.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Credentials {
    /// The kinds, in the order `Client::from_env` tries them.
    pub kinds: Vec<CredentialKind>,
    /// The prefix of every environment variable (`CLOUDFLARE`); `None` derives it from the crate
    /// name (`petstore` -> `PETSTORE`).
    pub env_prefix: Option<String>,
}

/// One kind of credentials: a variant of `Credentials` and of `CredentialKind`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialKind {
    /// The variant name (camel case).
    pub variant: String,
    /// The constructor (snake case).
    pub constructor: RustIdent,
    /// How `CredentialKind` displays it, in error messages (`API token`).
    pub label: String,
    /// The doc comment of the variant.
    pub doc: String,
    /// What is sent, in the order of the constructor's arguments.
    pub parts: Vec<CredentialPart>,
}

impl CredentialKind {
    /// Every value of the kind, in the order of the constructor's arguments.
    pub fn values(&self) -> Vec<&CredentialValue> {
        self.parts
            .iter()
            .flat_map(|part| match part {
                CredentialPart::Secret { value, .. } => vec![value],
                CredentialPart::Basic { username, password } => vec![username, password],
            })
            .collect()
    }
}

/// One piece of a credential kind as it travels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialPart {
    /// One value in a header or query parameter.
    Secret {
        /// The value.
        value: CredentialValue,
        /// Where it goes.
        sent: SentAs,
    },
    /// HTTP Basic: `Authorization: Basic base64(username:password)`.
    Basic {
        /// The user name.
        username: CredentialValue,
        /// The password (may be empty).
        password: CredentialValue,
    },
}

/// Where a secret value goes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum SentAs {
    /// Header `name` (lower case), with `prefix` before the value (`Bearer `).
    Header {
        /// The header name, lower case.
        name: String,
        /// Text sent before the value.
        prefix: String,
    },
    /// Query parameter `name`.
    Query {
        /// The parameter name.
        name: String,
    },
}

/// One value the user supplies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialValue {
    /// The field name in a struct variant (snake case); a kind of one value is a tuple variant.
    pub field: RustIdent,
    /// How error messages name it (`API token`), never the value itself.
    pub label: String,
    /// The environment variable, without the prefix (`API_TOKEN` of `CLOUDFLARE_API_TOKEN`).
    pub env: String,
    /// Shown by `Debug` (an account email); every other value prints as `<redacted>`.
    pub shown: bool,
}

/// The module, in every area and resource module, of its operations' marker types (the type
/// parameter of each request builder): no resource module takes this name.
pub const OPERATION_MODULE: &str = "operation";

/// A product area: a module, a cargo feature and `client.<module>()`.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    /// Module name and accessor on `Client` (snake case).
    pub module: RustIdent,
    /// The struct that carries the accessors and methods (camel case).
    pub struct_name: String,
    /// The cargo feature that compiles it (kebab case).
    pub feature: String,
    /// Operations placed on the area itself, sorted by method name.
    pub operations: Vec<Operation>,
    /// Resources of the area at every depth, sorted by module path: a resource comes after
    /// the one it is nested in.
    pub resources: Vec<Resource>,
}

impl Area {
    /// Its module path from the crate root (`workers`).
    pub fn module_path(&self) -> ModulePath {
        ModulePath::of([&self.module])
    }

    /// Its own operations, then its resources'.
    pub fn all_operations(&self) -> impl Iterator<Item = &Operation> {
        self.operations.iter().chain(self.resources.iter().flat_map(|r| &r.operations))
    }

    /// [`all_operations`](Self::all_operations), to change them.
    pub fn all_operations_mut(&mut self) -> impl Iterator<Item = &mut Operation> {
        self.operations.iter_mut().chain(self.resources.iter_mut().flat_map(|r| &mut r.operations))
    }

    /// The resources directly below the namespace `parent` (empty for the area itself).
    pub fn children<'s>(&'s self, parent: &'s [RustIdent]) -> impl Iterator<Item = &'s Resource> + 's {
        self.resources.iter().filter(move |r| r.parent() == parent)
    }
}

/// A resource inside an area: `client.<area>().<resource>()`, or nested in another resource
/// (`client.<area>().<resource>().<nested>()`).
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// Module path below the area, outermost first (`scripts`, `content`); its last segment is
    /// the accessor on the namespace it is nested in (snake case).
    pub module: Vec<RustIdent>,
    /// The struct that carries the methods (camel case).
    pub struct_name: String,
    /// The operations, sorted by method name.
    pub operations: Vec<Operation>,
}

impl Resource {
    /// The accessor and module name: the last segment of [`module`](Self::module).
    pub fn name(&self) -> &RustIdent {
        self.module.last().expect("a resource is below its area")
    }

    /// The module path of the namespace it is nested in, below the area (empty for the area).
    pub fn parent(&self) -> &[RustIdent] {
        &self.module[..self.module.len() - 1]
    }

    /// Its module path from the crate root, in the area `area` (`workers::scripts::content`).
    pub fn module_path(&self, area: &RustIdent) -> ModulePath {
        ModulePath::of(std::iter::once(area).chain(&self.module))
    }
}

/// One HTTP operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId`, or the name derived when the spec has none.
    pub operation_id: String,
    /// Method name on the area or resource struct.
    pub method_name: RustIdent,
    /// The request builder the method returns (camel case, unique in its module).
    pub builder_name: String,
    /// HTTP method, upper case (`POST`).
    pub http_method: String,
    /// The path template as written (`/accounts/{account_id}/...`).
    pub path: String,
    /// Path parameters in template order (positional arguments), without the scope's id when
    /// [`scopes`](Self::scopes) has the operation at several scopes.
    pub path_params: Vec<Param>,
    /// The scopes the operation is at, when it is one method for several (Cloudflare's account
    /// and zone twins of one resource): the method then takes a `Scope` as its first argument.
    /// Empty for an operation at one path.
    pub scopes: Vec<ScopedPath>,
    /// Query and header parameters, in spec order: required ones are positional arguments after
    /// the path parameters, optional ones builder setters.
    pub params: Vec<Param>,
    /// The request body, if any.
    pub body: Option<Body>,
    /// What a successful call returns.
    pub response: Response,
    /// The media type asked for with `Accept`.
    pub accept: String,
    /// Which credentials the operation accepts.
    pub auth: Auth,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// Non-success responses documented in the spec: (status key, description).
    pub error_responses: Vec<(String, String)>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// How to ask for the next page, when the operation returns a list in pages.
    pub pagination: Option<Pagination>,
}

impl Operation {
    /// Calls `f` on every type the operation mentions directly: its parameters (the scopes' ids
    /// too), its JSON or form body, its result and its page item.
    pub fn for_each_type_mut(&mut self, f: &mut dyn FnMut(&mut TypeRef)) {
        let scope_ids = self.scopes.iter_mut().map(|s| &mut s.id);
        for param in self.path_params.iter_mut().chain(self.params.iter_mut()).chain(scope_ids) {
            f(&mut param.ty);
        }
        if let Some(Body { kind: BodyKind::Json(ty) | BodyKind::Form(ty, _), .. }) = &mut self.body {
            f(ty);
        }
        match &mut self.response {
            Response::Envelope { result: Some(ty), .. } | Response::Json(ty) => f(ty),
            _ => {}
        }
        if let Some(pagination) = &mut self.pagination {
            f(&mut pagination.item);
        }
    }
}

/// The argument a method at several scopes takes first: a `Scope`.
pub const SCOPE_ARGUMENT: &str = "scope";

/// One scope of an operation that is at several: `Scope::Account(id)` sends the request to
/// `/accounts/{account_id}/...`.
#[derive(Debug, Clone, PartialEq)]
pub struct ScopedPath {
    /// The `Scope` variant (`Account`).
    pub variant: String,
    /// The path template at this scope.
    pub path: String,
    /// The scope's id parameter (`account_id`), the variant's value.
    pub id: Param,
    /// The `operationId` of the operation at this scope.
    pub operation_id: String,
}

/// A list read page by page: the envelope's `result` is an array, it declares `result_info`,
/// and the operation takes a page number or a cursor (or, by the profile's rule, a `GET` takes
/// `page` without declaring it).
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The query parameter that selects the page (`page`, `cursor`).
    pub param: String,
    /// Page number or cursor.
    pub style: PageStyle,
    /// The type of one item.
    pub item: TypeRef,
}

/// How pages are selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStyle {
    /// `page=N` (an integer parameter).
    Page,
    /// `cursor=...` (a string parameter).
    Cursor,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Literal text, sent as is.
    Literal(String),
    /// The path parameter at this index of `Operation::path_params`.
    Param(usize),
}

/// Where a parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the URL path.
    Path,
    /// In the query string.
    Query,
    /// In a request header.
    Header,
}

/// One operation parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust identifier (argument or field name).
    pub rust_name: RustIdent,
    /// Path, query or header.
    pub location: ParamLocation,
    /// Whether the spec requires it.
    pub required: bool,
    /// Its type.
    pub ty: TypeRef,
    /// Length bounds on string values, checked before sending.
    pub length: Length,
    /// `description`.
    pub description: Option<String>,
    /// A query parameter of `style: deepObject`: its value is sent as bracketed pairs
    /// (`created[gt]=1`) by the runtime's form encoder, and keeps its own type.
    pub deep_object: bool,
}

/// Length bounds of a string, in characters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Length {
    /// `minLength`.
    pub min: Option<u64>,
    /// `maxLength`.
    pub max: Option<u64>,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The media type sent as `Content-Type`.
    pub media_type: String,
    /// JSON (typed) or raw bytes (any other media type).
    pub kind: BodyKind,
    /// Whether the spec requires a body.
    pub required: bool,
    /// Whether the caller must pass it: a required body with a schema. A body without a schema
    /// is an optional setter, and `{}` is sent when the spec requires one and none was set.
    pub positional: bool,
    /// `description`.
    pub description: Option<String>,
}

/// How a body is encoded.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    /// Serialized as JSON from this type.
    Json(TypeRef),
    /// `application/x-www-form-urlencoded`, encoded from this type as the spec's `encoding` map
    /// says (properties it does not name are `style: form`, exploded).
    Form(TypeRef, Vec<FormEncoding>),
    /// `multipart/form-data`, built by the caller as a `Multipart` form.
    Multipart,
    /// Sent as given (the documented fallback for non-JSON media types).
    Raw,
}

/// How one property of a form body is encoded (an entry of the media type's `encoding` map).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormEncoding {
    /// The property's wire name.
    pub property: String,
    /// Its style.
    pub style: FormStyle,
    /// `explode` (by default true for `form`, false otherwise).
    pub explode: bool,
}

/// OpenAPI's styles for form fields, plus JSON text for an encoding whose `contentType` is JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormStyle {
    /// `form`.
    Form,
    /// `spaceDelimited`.
    SpaceDelimited,
    /// `pipeDelimited`.
    PipeDelimited,
    /// `deepObject`.
    DeepObject,
    /// JSON text.
    Json,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// A Cloudflare-style envelope `{success, errors, messages, result}`, unwrapped to `result`.
    Envelope {
        /// The type of `result`; `None` when the envelope has no `result`.
        result: Option<TypeRef>,
        /// Whether `result` may be null or absent.
        nullable: bool,
        /// Whether the envelope declares `result_info` (page or cursor of a list).
        result_info: bool,
    },
    /// A plain JSON body of this type.
    Json(TypeRef),
    /// A non-JSON body, returned as bytes.
    Bytes,
    /// No body.
    Empty,
}

/// Which credentials an operation accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// `security: []`: nothing is sent.
    None,
    /// Whatever the client has: the requirements allow none (`{}`), or name schemes that no
    /// credential kind stands for.
    Any,
    /// One of these credential kinds (their variant names), in spec order.
    OneOf(Vec<String>),
}

/// A reference to a type, as used by a field, parameter, body or result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `i64`.
    Integer,
    /// `f64`.
    Number,
    /// `u64`: a count or page number, which the profile's paging parameters are whatever the
    /// spec writes (`number` or `integer`).
    Unsigned,
    /// `bool`.
    Boolean,
    /// `serde_json::Value`: free-form JSON (`{}`, objects without properties), and the documented
    /// fallback for the few shapes with no faithful Rust type (`not`, ...), each one reported.
    Json,
    /// `Vec<T>`.
    Array(Box<TypeRef>),
    /// `BTreeMap<String, T>` (`additionalProperties` without `properties`).
    Map(Box<TypeRef>),
    /// `Option<T>`: an array item or map value that may be `null` (a nullable field is an
    /// `Option` through [`Field::optional`] instead).
    Nullable(Box<TypeRef>),
    /// A generated type.
    Named(TypeId),
    /// A generated type that contains itself; emitted as `Box<T>`.
    Boxed(TypeId),
}

impl TypeRef {
    /// Replaces every type id it mentions by `f(id)`.
    pub fn remap(&mut self, f: &dyn Fn(TypeId) -> TypeId) {
        match self {
            TypeRef::Named(id) | TypeRef::Boxed(id) => *id = f(*id),
            TypeRef::Array(item) | TypeRef::Map(item) | TypeRef::Nullable(item) => item.remap(f),
            _ => {}
        }
    }

    /// The generated type it mentions, if any (through `Vec`, maps and `Option`).
    pub fn named(&self) -> Option<TypeId> {
        match self {
            TypeRef::Named(id) | TypeRef::Boxed(id) => Some(*id),
            TypeRef::Array(item) | TypeRef::Map(item) | TypeRef::Nullable(item) => item.named(),
            _ => None,
        }
    }
}

/// A generated type's index in its [`TypeSpace`]. Ids of the lowering are provisional: the naming
/// pass, which makes the [`TypeSpace`], gives the final ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub u32);

impl TypeId {
    /// The index in the space's list.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The id of the type at `index`.
    pub fn at(index: usize) -> Self {
        TypeId(u32::try_from(index).expect("fewer than 2^32 types"))
    }
}

/// Every generated type, named and placed in its module, by id. Made by the lowering's naming
/// pass (so a pass that takes one runs after names are settled); iterated in path order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TypeSpace {
    defs: Vec<TypeDef>,
    /// The ids in path order.
    order: Vec<TypeId>,
}

impl TypeSpace {
    /// The space of `defs` (named), the id of each its index.
    pub fn new(defs: Vec<TypeDef>) -> Self {
        let mut space = TypeSpace { defs, order: Vec::new() };
        space.sort();
        space
    }

    fn sort(&mut self) {
        let paths: Vec<String> = self.defs.iter().map(TypeDef::path).collect();
        self.order = (0..self.defs.len()).map(TypeId::at).collect();
        self.order.sort_by(|a, b| paths[a.index()].cmp(&paths[b.index()]));
    }

    /// Adds the (named) types `defs`.
    pub fn extend(&mut self, defs: Vec<TypeDef>) {
        self.defs.extend(defs);
        self.sort();
    }

    /// Moves each type `id` to `module`, named `name` (their paths, and so the order, change).
    pub fn place(&mut self, moves: impl IntoIterator<Item = (TypeId, ModulePath, String)>) {
        for (id, module, name) in moves {
            let def = &mut self.defs[id.index()];
            def.module = module;
            def.name = name;
        }
        self.sort();
    }

    /// How many types there are.
    pub fn len(&self) -> usize {
        self.defs.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.defs.is_empty()
    }

    /// The types in path order.
    pub fn iter(&self) -> impl Iterator<Item = &TypeDef> {
        self.order.iter().map(|&id| &self.defs[id.index()])
    }

    /// The ids in path order.
    pub fn ids(&self) -> impl Iterator<Item = TypeId> + '_ {
        self.order.iter().copied()
    }

    /// The types by id.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut TypeDef> {
        self.defs.iter_mut()
    }

    /// The id of the type at `path` (`types::iam::AccountIdentifier`).
    pub fn find(&self, path: &str) -> Option<TypeId> {
        (0..self.defs.len()).map(TypeId::at).find(|id| self[*id].path() == path)
    }
}

impl std::ops::Index<TypeId> for TypeSpace {
    type Output = TypeDef;

    fn index(&self, id: TypeId) -> &TypeDef {
        &self.defs[id.index()]
    }
}

impl std::ops::IndexMut<TypeId> for TypeSpace {
    fn index_mut(&mut self, id: TypeId) -> &mut TypeDef {
        &mut self.defs[id.index()]
    }
}

/// A generated type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Its module, from the crate root (`types::iam`, `iam::oauth_clients`, `types::r#type`).
    pub module: ModulePath,
    /// Rust name, unique in its module (empty until the naming pass).
    pub name: String,
    /// Cargo features of which any compiles it; empty when every build needs it.
    pub features: Vec<String>,
    /// Doc text from `title`/`description`.
    pub description: Option<String>,
    /// JSON pointer of the schema it came from (for the doc fallback and for diagnostics).
    pub source: Pointer,
    /// What the type is, in words, from where its schema sits: the operation and property it
    /// belongs to, or the component it is (`` `meta` of an item of `result` in the response of
    /// List DNS Records (`GET /zones/{zone_id}/dns_records`) ``). The doc of a type the spec does
    /// not describe.
    pub context: String,
    /// Struct or enum.
    pub kind: TypeKind,
    /// Which way it travels (see `lower::directions`): which serde traits it derives.
    pub directions: Directions,
}

impl TypeDef {
    /// Path from the crate root (`types::iam::AccountIdentifier`).
    pub fn path(&self) -> String {
        format!("{}::{}", self.module, self.name)
    }

    /// Replaces every type id it mentions by `f(id)`.
    pub fn remap(&mut self, f: &dyn Fn(TypeId) -> TypeId) {
        match &mut self.kind {
            TypeKind::Struct(fields) => fields.iter_mut().for_each(|field| field.ty.remap(f)),
            TypeKind::Union(union) => union.variants.iter_mut().for_each(|v| v.ty.remap(f)),
            TypeKind::Alias(target) => *target = f(*target),
            TypeKind::Enum(_) => {}
        }
    }

    /// The generated types it mentions: field and member types, an alias's target.
    pub fn mentions(&self) -> Vec<TypeId> {
        match &self.kind {
            TypeKind::Struct(fields) => fields.iter().filter_map(|f| f.ty.named()).collect(),
            TypeKind::Union(union) => union.variants.iter().filter_map(|v| v.ty.named()).collect(),
            TypeKind::Alias(target) => vec![*target],
            TypeKind::Enum(_) => Vec::new(),
        }
    }

    /// The parameters of the struct's `new`, in field order: its required fields. `None` when it
    /// has none: a struct that no request sends, or whose fields are all optional (it derives
    /// `Default` instead).
    pub fn constructor_params(&self) -> Option<Vec<&Field>> {
        let TypeKind::Struct(fields) = &self.kind else { return None };
        let required: Vec<&Field> = fields.iter().filter(|f| !f.optional).collect();
        (self.directions.sent && !required.is_empty()).then_some(required)
    }
}

/// Whether a type is sent in requests, received in responses, or both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Directions {
    /// Reached from a request body or parameter: it derives `Serialize`.
    pub sent: bool,
    /// Reached from a success response: it derives `Deserialize`.
    pub received: bool,
}

/// The shape of a generated type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Vec<Field>),
    /// A string enum; unknown values are kept in an extra variant.
    Enum(Vec<Variant>),
    /// A `oneOf`/`anyOf`: one variant per member.
    Union(Union),
    /// `pub type Name = Target;`: a schema structurally identical to this type, which keeps the
    /// definition (see `lower::dedupe`). The alias keeps its own name, module and docs.
    Alias(TypeId),
}

/// A `oneOf`/`anyOf` as a Rust enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    /// Tagged (one property tells the members apart) or untagged (the first that decodes wins).
    pub tagging: Tagging,
    /// The members: in spec order when tagged, in decoding order when untagged.
    pub variants: Vec<UnionVariant>,
}

/// How a union's members are told apart on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tagging {
    /// The value of this property names the member; an unknown value is kept as received.
    Tagged {
        /// The property's wire name.
        property: String,
    },
    /// No property does: the members are tried in order and the first that decodes is taken.
    Untagged,
}

/// One member of a [`Union`].
#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    /// The Rust variant name.
    pub rust_name: String,
    /// The member's type.
    pub ty: TypeRef,
    /// The tag value that selects this member (tagged unions only).
    pub tag: Option<String>,
    /// The member's doc text.
    pub description: Option<String>,
}

/// A struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Property name on the wire.
    pub wire_name: String,
    /// Rust field name.
    pub rust_name: RustIdent,
    /// The value type (without the `Option` that `optional` adds).
    pub ty: TypeRef,
    /// Whether the field is `Option<T>` (not required, or nullable).
    pub optional: bool,
    /// Whether the spec requires the property; a required nullable field is sent as `null`.
    pub required: bool,
    /// Marked `x-sensitive`: redacted from `Debug`.
    pub sensitive: bool,
    /// Marked `readOnly`: the server sets it. Such a field is always optional and left out when
    /// unset, so a request never has to carry it.
    pub read_only: bool,
    /// Holds a union that an `allOf` (or an object with `oneOf`/`anyOf` beside its properties)
    /// mixes into the object: `#[serde(flatten)]`, no wire name of its own.
    pub flatten: bool,
    /// `description`.
    pub description: Option<String>,
}

/// A module's path from the crate root (`types::iam`, `workers::scripts`, `types::r#type`), kept
/// in source form: printing it, comparing it and ordering by it (as the files and types are
/// ordered) cost nothing. Its segments are read here, not by splitting strings where it is used.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ModulePath(String);

/// The module of the schemas no operation owns: `types`, or a group of them below it.
const TYPES_MODULE: &str = "types";

/// The group below [`TYPES_MODULE`] of [`ModulePath::shared`].
const SHARED_GROUP: &str = "shared";

impl ModulePath {
    /// The module of the segments, in order (an area, then its resources).
    pub fn of<'s>(segments: impl IntoIterator<Item = &'s RustIdent>) -> ModulePath {
        ModulePath(segments.into_iter().map(RustIdent::to_string).collect::<Vec<_>>().join("::"))
    }

    /// `types`, where the types of components without a group go.
    pub fn types() -> ModulePath {
        ModulePath(TYPES_MODULE.to_owned())
    }

    /// `types::<group>`, where the types of one group of components go.
    pub fn types_group(group: &RustIdent) -> ModulePath {
        ModulePath(format!("{TYPES_MODULE}::{group}"))
    }

    /// `types::shared`, the module of the types that inner schemas of several modules share: the
    /// lowering's merging of identical shapes defines them there, and emit writes its docs.
    pub fn shared() -> ModulePath {
        ModulePath(format!("{TYPES_MODULE}::{SHARED_GROUP}"))
    }

    /// Whether this is [`ModulePath::shared`].
    pub fn is_shared(&self) -> bool {
        self.group_source() == Some(SHARED_GROUP)
    }

    /// The group of a `types::<group>` module.
    pub fn group(&self) -> Option<RustIdent> {
        self.group_source().map(RustIdent::from_source)
    }

    /// The group of a `types::<group>` module, in source form.
    fn group_source(&self) -> Option<&str> {
        self.0.strip_prefix(TYPES_MODULE)?.strip_prefix("::").filter(|group| !group.contains("::"))
    }

    /// The source form (`types::r#type`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The segments (`types`, `r#type`).
    pub fn segments(&self) -> impl Iterator<Item = RustIdent> + '_ {
        self.0.split("::").map(RustIdent::from_source)
    }

    /// The path by its segments' bare names (`types::type`), as docs and the API listing write it.
    pub fn bare(&self) -> String {
        self.segments().map(|s| s.as_str().to_owned()).collect::<Vec<_>>().join("::")
    }

    /// The area whose module this is or is in (its first segment, in source form); `None` for
    /// `types` and the modules below it.
    pub fn area(&self) -> Option<&str> {
        let first = self.0.split("::").next().unwrap_or_default();
        (first != TYPES_MODULE).then_some(first)
    }
}

impl std::fmt::Display for ModulePath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The catch-all variant every generated enum carries for values the spec does not list.
pub const UNKNOWN_VARIANT: &str = "UnknownValue";

/// A string enum variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The value on the wire.
    pub wire_name: String,
    /// The Rust variant name.
    pub rust_name: String,
}

#[cfg(test)]
mod tests {
    use super::ModulePath;
    use crate::naming::{RustIdent, snake_ident};

    #[test]
    fn module_paths_are_read_by_their_segments() {
        let resource = ModulePath::of([&snake_ident("workers"), &snake_ident("scripts")]);
        assert_eq!((resource.as_str(), resource.area()), ("workers::scripts", Some("workers")));
        assert_eq!(resource.group(), None);

        let group = ModulePath::types_group(&snake_ident("type"));
        assert_eq!((group.as_str(), group.area(), group.group().map(|g| g.to_string())), ("types::r#type", None, Some("r#type".to_owned())));
        let segments: Vec<RustIdent> = group.segments().collect();
        assert_eq!((segments[1].as_str(), segments[1].is_raw()), ("type", true));
        assert_eq!(group.bare(), "types::type");

        assert!(ModulePath::shared().is_shared() && !group.is_shared());
        assert_eq!((ModulePath::types().area(), ModulePath::types().group()), (None, None));
        assert_eq!(ModulePath::of([&snake_ident("types"), &snake_ident("shared"), &snake_ident("x")]).group(), None);
    }

    #[test]
    fn module_paths_order_as_their_source_text() {
        // Files and types are ordered by path text: `x0` before `x::y`, as `0` sorts before `:`.
        let nested = ModulePath::of([&snake_ident("x"), &snake_ident("y")]);
        let sibling = ModulePath::of([&snake_ident("x0")]);
        assert!(sibling < nested);
    }
}

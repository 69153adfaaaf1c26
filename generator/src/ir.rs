//! The intermediate representation between the spec and the emitted code.
//!
//! Everything here is decided: `$ref`s are resolved, inline schemas have names, identifiers are
//! valid and unique, and wire names sit beside them. The emitter turns this into tokens without
//! looking at the spec; nothing from `openapiv3` leaks past the lowering.

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
    /// Operations grouped by tag, in spec order.
    pub groups: Vec<Group>,
    /// Named types, in the order they were first reached.
    pub types: Vec<TypeDef>,
}

/// The operations that share a tag; emitted as `client.<accessor>().<method>(...)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The tag as written in the spec.
    pub tag: String,
    /// The tag's description, if the spec has one.
    pub description: Option<String>,
    /// Module name under `apis` and accessor method on `Client` (snake case).
    pub module: String,
    /// Name of the struct that carries the methods (camel case).
    pub struct_name: String,
    /// The operations, in spec order.
    pub operations: Vec<Operation>,
}

/// One HTTP operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId`, or the name derived when the spec has none.
    pub operation_id: String,
    /// Method name on the group struct.
    pub method_name: String,
    /// HTTP method, upper case (`POST`).
    pub http_method: String,
    /// The path template as written (`/accounts/{account_id}/...`).
    pub path: String,
    /// The path template split into literal text and parameters.
    pub path_parts: Vec<PathPart>,
    /// Path parameters in template order; query and header parameters go in `params`.
    pub path_params: Vec<Param>,
    /// The struct holding query and header parameters, if there are any.
    pub params: Option<ParamsStruct>,
    /// The request body, if any.
    pub body: Option<Body>,
    /// What a successful call returns.
    pub response: Response,
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
    pub rust_name: String,
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
}

/// Length bounds of a string, in characters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Length {
    /// `minLength`.
    pub min: Option<u64>,
    /// `maxLength`.
    pub max: Option<u64>,
}

/// The generated struct holding an operation's query and header parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamsStruct {
    /// Type name (in the `types` module).
    pub type_name: String,
    /// The parameters, in spec order.
    pub fields: Vec<Param>,
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
    /// `description`.
    pub description: Option<String>,
}

/// How a body is encoded.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    /// Serialized as JSON from this type.
    Json(TypeRef),
    /// Sent as given (the documented fallback for non-JSON media types).
    Raw,
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
    /// Whatever the client has (the spec's schemes are not ones the runtime knows).
    Any,
    /// One of these credential kinds, in spec order.
    OneOf(Vec<CredentialKind>),
}

/// The credential kinds the runtime knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialKind {
    /// `Authorization: Bearer <token>`.
    ApiToken,
    /// `X-Auth-Email` + `X-Auth-Key`.
    ApiKey,
    /// `X-Auth-User-Service-Key`.
    UserServiceKey,
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
    /// `bool`.
    Boolean,
    /// `serde_json::Value`: free-form JSON, and the documented fallback for shapes that have no
    /// faithful Rust type yet (`oneOf`, `anyOf`, `not`, `enum: [null]`).
    Json,
    /// `Vec<T>`.
    Array(Box<TypeRef>),
    /// `BTreeMap<String, T>` (`additionalProperties` without `properties`).
    Map(Box<TypeRef>),
    /// A generated type, by name.
    Named(String),
    /// A generated type that contains itself; emitted as `Box<T>`.
    Boxed(String),
}

/// A generated type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Rust name (unique in the `types` module).
    pub name: String,
    /// Doc text from `title`/`description`.
    pub description: Option<String>,
    /// JSON pointer of the schema it came from (for the doc fallback and for diagnostics).
    pub source: String,
    /// Struct or enum.
    pub kind: TypeKind,
}

/// The shape of a generated type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Vec<Field>),
    /// A string enum; unknown values are kept in an extra variant.
    Enum(Vec<Variant>),
}

/// A struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Property name on the wire.
    pub wire_name: String,
    /// Rust field name.
    pub rust_name: String,
    /// The value type (without the `Option` that `optional` adds).
    pub ty: TypeRef,
    /// Whether the field is `Option<T>` (not required, or nullable).
    pub optional: bool,
    /// Whether the spec requires the property; a required nullable field is sent as `null`.
    pub required: bool,
    /// Marked `x-sensitive`: redacted from `Debug`.
    pub sensitive: bool,
    /// Marked `readOnly`: the server sets it; documented as such.
    pub read_only: bool,
    /// `description`.
    pub description: Option<String>,
}

/// A string enum variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The value on the wire.
    pub wire_name: String,
    /// The Rust variant name.
    pub rust_name: String,
}

//! OpenAPI's own vocabulary, written once for every stage: the operations' HTTP methods, which
//! response is the success, and the generator's mark for a mutual-TLS scheme.

/// The operation keys of a path item, in the order OpenAPI lists them.
pub const HTTP_METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The extension the 3.1 rewriting puts on a `mutualTLS` security scheme (which 3.0 cannot
/// write), so that the lowering still knows it for one.
pub const MUTUAL_TLS_MARK: &str = "x-clientgen-mutual-tls";

//! What every generated request builder has besides its own inputs, written once here rather
//! than in each of the API's operations: `send`, `.await` (`IntoFuture`) and the per-call options.

/// Completes a generated request builder `$builder<'a>` whose inherent
/// `send_with_response(self) -> Result<ApiResponse<$ret>, Error>` does the work.
macro_rules! request_builder {
    ($builder:ident, $ret:ty) => {
        impl<'a> $builder<'a> {
            /// Sends the request and returns its result.
            pub async fn send(self) -> Result<$ret, crate::Error> {
                self.send_with_response().await.map(crate::ApiResponse::into_result)
            }
        }

        impl<'a> std::future::IntoFuture for $builder<'a> {
            type Output = Result<$ret, crate::Error>;
            type IntoFuture = crate::runtime::BoxFuture<'a, Result<$ret, crate::Error>>;

            fn into_future(self) -> Self::IntoFuture {
                Box::pin(self.send())
            }
        }

        crate::runtime::impl_request_options!($builder);
    };
}
pub(crate) use request_builder;

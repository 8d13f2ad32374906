//! HTTP/1.1 for the web servers of the catalog (`nginx`, `httpd`): what a request is on the wire
//! ([`request`]: request line, headers, a body sized by `Content-Length` or sent in chunks),
//! what a response is ([`response`]), and the event loop that serves many keep-alive clients
//! from one thread ([`server`]). What to answer is each program's business: a [`server::Service`]
//! gets each request and replies at once or later (a proxied request waits for its upstream).

pub mod chunked;
pub mod request;
pub mod response;
pub mod server;
pub mod testing;

pub use request::{ParseError, Request};
pub use response::Response;

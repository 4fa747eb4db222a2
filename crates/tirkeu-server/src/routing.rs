//! The server's routes as a list: every route's method and path template, so that a check
//! that must cover every route (the access matrix, `tests/access_matrix.rs`) is generated from
//! the router itself and a new route it has no entry for fails it.
//!
//! axum's `Router` does not tell which routes it holds. A list kept beside the router would
//! drift the day someone adds a route and forgets the list; so the routes are added through
//! thin wrappers of axum's own builder — [`Router`] and the method functions [`get`],
//! [`post`], [`put`], [`delete`], with the names and shapes of axum's — that write each
//! (method, path template) down as they hand the route to axum. Drift cannot happen:
//! [`Router::route`] takes only [`Methods`] (never an axum `MethodRouter` whose methods
//! nobody can read), [`Router::merge`] only another listed `Router`, and `crate::router`
//! builds every route of the server this way up to the fallback. (utoipa-axum's router would
//! list only the documented API routes, not the pages, and would still let a plain axum route
//! in beside them.)
//!
//! `GET` routes also answer `HEAD` (axum's rule); the list names them once, as `GET`.

use std::convert::Infallible;

use axum::extract::Request;
use axum::handler::Handler;
use axum::http::Method;
use axum::response::IntoResponse;
use axum::routing::MethodRouter;
use tower::{Layer, Service};

use crate::state::App;

/// One route: a method and a path template as axum reads it (`/api/v1/cases/{number}`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Route {
    pub method: Method,
    pub path: String,
}

/// axum's router, and the list of the routes it was given.
#[derive(Default)]
pub struct Router {
    inner: axum::Router<App>,
    routes: Vec<Route>,
}

impl Router {
    pub fn new() -> Router {
        Router::default()
    }

    /// Routes `path` to `methods` (see axum's `Router::route`).
    #[must_use]
    pub fn route(mut self, path: &str, methods: Methods) -> Router {
        self.routes
            .extend(methods.methods.into_iter().map(|method| Route {
                method,
                path: path.to_owned(),
            }));
        self.inner = self.inner.route(path, methods.inner);
        self
    }

    /// Both routers' routes (see axum's `Router::merge`).
    #[must_use]
    pub fn merge(mut self, other: Router) -> Router {
        self.routes.extend(other.routes);
        self.inner = self.inner.merge(other.inner);
        self
    }

    /// See axum's `Router::layer`.
    #[must_use]
    pub fn layer<L>(mut self, layer: L) -> Router
    where
        L: Layer<axum::routing::Route> + Clone + Send + Sync + 'static,
        L::Service: Service<Request> + Clone + Send + Sync + 'static,
        <L::Service as Service<Request>>::Response: IntoResponse + 'static,
        <L::Service as Service<Request>>::Error: Into<Infallible> + 'static,
        <L::Service as Service<Request>>::Future: Send + 'static,
    {
        self.inner = self.inner.layer(layer);
        self
    }

    /// See axum's `Router::route_layer`.
    #[must_use]
    pub fn route_layer<L>(mut self, layer: L) -> Router
    where
        L: Layer<axum::routing::Route> + Clone + Send + Sync + 'static,
        L::Service: Service<Request> + Clone + Send + Sync + 'static,
        <L::Service as Service<Request>>::Response: IntoResponse + 'static,
        <L::Service as Service<Request>>::Error: Into<Infallible> + 'static,
        <L::Service as Service<Request>>::Future: Send + 'static,
    {
        self.inner = self.inner.route_layer(layer);
        self
    }

    /// axum's router, and every route it holds.
    pub fn into_parts(self) -> (axum::Router<App>, Vec<Route>) {
        (self.inner, self.routes)
    }
}

/// The handlers of one path by method (axum's `MethodRouter`), and which methods those are.
pub struct Methods {
    inner: MethodRouter<App>,
    methods: Vec<Method>,
}

impl Methods {
    /// See axum's `MethodRouter::layer`: the layer wraps the handlers given so far.
    #[must_use]
    pub fn layer<L>(self, layer: L) -> Methods
    where
        L: Layer<axum::routing::Route> + Clone + Send + Sync + 'static,
        L::Service: Service<Request> + Clone + Send + Sync + 'static,
        <L::Service as Service<Request>>::Response: IntoResponse + 'static,
        <L::Service as Service<Request>>::Error: Into<Infallible> + 'static,
        <L::Service as Service<Request>>::Future: Send + 'static,
    {
        Methods {
            inner: self.inner.layer(layer),
            methods: self.methods,
        }
    }
}

macro_rules! method {
    ($($name:ident => $method:ident),+ $(,)?) => {
        $(
            #[doc = concat!("`", stringify!($method), "` requests to `handler` (see axum's `routing::", stringify!($name), "`).")]
            pub fn $name<H, T>(handler: H) -> Methods
            where
                H: Handler<T, App>,
                T: 'static,
            {
                Methods {
                    inner: axum::routing::$name(handler),
                    methods: vec![Method::$method],
                }
            }
        )+

        impl Methods {
            $(
                #[doc = concat!("Also `", stringify!($method), "` requests, to `handler`.")]
                #[must_use]
                pub fn $name<H, T>(mut self, handler: H) -> Methods
                where
                    H: Handler<T, App>,
                    T: 'static,
                {
                    self.inner = self.inner.$name(handler);
                    self.methods.push(Method::$method);
                    self
                }
            )+
        }
    };
}

method!(get => GET, post => POST, put => PUT, delete => DELETE, patch => PATCH);

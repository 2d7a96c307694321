//! `#[irnet_testkit::both]` and `#[irnet_testkit::postgres_only]`: a test written once as
//! `async fn name(backend: Backend)` becomes the module `name` with the tests `sqlite` and
//! `postgres`, each running the function through `irnet_testkit::cases::run`. An attribute rather
//! than a `macro_rules!` wrapper, so that rustfmt keeps formatting the test bodies.
//!
//! Only the function's name is read; the function itself is emitted unchanged.

use proc_macro::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};

/// Runs `async fn name(backend: Backend)` as the tests `name::sqlite` and `name::postgres`.
/// `#[both(threads = 4)]` gives each case a runtime with four worker threads (default: the
/// current thread, as `#[tokio::test]`).
#[proc_macro_attribute]
pub fn both(args: TokenStream, item: TokenStream) -> TokenStream {
    cases(args, item, &["sqlite", "postgres"])
}

/// Runs `async fn name(backend: Backend)` as the single test `name::postgres`, for what only
/// PostgreSQL does (e.g. instances hearing each other through `LISTEN`/`NOTIFY`).
#[proc_macro_attribute]
pub fn postgres_only(args: TokenStream, item: TokenStream) -> TokenStream {
    cases(args, item, &["postgres"])
}

fn cases(args: TokenStream, item: TokenStream, backends: &[&str]) -> TokenStream {
    let threads = match threads(args) {
        Ok(n) => n,
        Err(message) => return error(&message),
    };
    let Some(name) = fn_name(&item) else {
        return error("expected `async fn name(backend: Backend) { … }`");
    };
    let tests: String = backends
        .iter()
        .map(|backend| {
            let variant = if *backend == "sqlite" {
                "Sqlite"
            } else {
                "Postgres"
            };
            format!(
                "#[test] fn {backend}() {{ ::irnet_testkit::cases::run(\
                 ::irnet_testkit::Backend::{variant}, module_path!(), {threads}, super::{name}); }}"
            )
        })
        .collect();
    let module: TokenStream = match format!("mod {name} {{ {tests} }}").parse() {
        Ok(m) => m,
        Err(e) => return error(&e.to_string()),
    };
    let mut out = item;
    out.extend(module);
    out
}

/// `threads = N`, or nothing (1).
fn threads(args: TokenStream) -> Result<usize, String> {
    let tokens: Vec<TokenTree> = args.into_iter().collect();
    match tokens.as_slice() {
        [] => Ok(1),
        [
            TokenTree::Ident(key),
            TokenTree::Punct(eq),
            TokenTree::Literal(n),
        ] if key.to_string() == "threads" && eq.as_char() == '=' => n
            .to_string()
            .parse()
            .map_err(|_| format!("`threads` takes a number, not `{n}`")),
        _ => Err("the only argument is `threads = N`".to_owned()),
    }
}

/// The identifier after `fn` at the top level of the item.
fn fn_name(item: &TokenStream) -> Option<String> {
    let mut after_fn = false;
    for token in item.clone() {
        if let TokenTree::Ident(ident) = token {
            let text = ident.to_string();
            if after_fn {
                return Some(text);
            }
            after_fn = text == "fn";
        }
    }
    None
}

fn error(message: &str) -> TokenStream {
    let text = TokenTree::Literal(proc_macro::Literal::string(message));
    let mut out: TokenStream = [
        TokenTree::Ident(Ident::new("compile_error", Span::call_site())),
        TokenTree::Punct(proc_macro::Punct::new('!', proc_macro::Spacing::Alone)),
    ]
    .into_iter()
    .collect();
    out.extend([TokenTree::Group(Group::new(
        Delimiter::Parenthesis,
        text.into(),
    ))]);
    out
}

//! The network map: the page holds the filters (kinds, state), the focus on one actor's
//! neighbourhood and the path between two actors as plain GET forms, and a map element that
//! `/map.js` draws with sigma.js from the REST API. The path is also written out as text.
//! Without JavaScript (or WebGL) the page still lists the path and links to the directory.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};
use shared::{
    network::{kind_label, relation_kind_label, ActorKind, Graph, RELATION_KINDS},
    AppError,
};

use crate::components::ErrorPanel;

/// What the map page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapData {
    pub kinds: Vec<ActorKind>,
    /// The API address the map draws.
    pub src: String,
    /// The API address of the path to highlight.
    pub highlight_src: Option<String>,
    /// The actor focused on, by id.
    pub focus_id: Option<String>,
    /// The path between the two actors asked for, when there is one.
    pub path: Option<Graph>,
    /// Why the focus or the path could not be shown.
    pub notice: Option<String>,
}

/// `kinds` and `state` filter the whole network; `focus` (an actor's name) shows its
/// neighbourhood to `depth`; `from` and `to` (names) highlight the path between them. No
/// `kinds` (a form with none ticked sends none) is all kinds.
#[server(prefix = "/fn")]
pub async fn map_page(
    #[server(default)] kinds: Vec<String>,
    state: Option<String>,
    focus: Option<String>,
    depth: Option<u32>,
    from: Option<String>,
    to: Option<String>,
) -> Result<MapData, AppError> {
    use crate::{components::urlencode, request};
    let (ports, caller) = (request::ports()?, request::caller()?);
    let kinds_all = ports.actors.actor_kinds().await?;
    let state = shared::network::state_code("state", state.as_deref())?;
    let mut notice = None;
    let mut focus_id = None;
    let mut src = {
        let mut params = Vec::new();
        let kinds: Vec<&String> = kinds.iter().filter(|k| !k.is_empty()).collect();
        if !kinds.is_empty() {
            params.push(format!("kind={}", urlencode(&kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(","))));
        }
        if let Some(s) = &state {
            params.push(format!("state={s}"));
        }
        if params.is_empty() {
            "/api/v1/network".to_string()
        } else {
            format!("/api/v1/network?{}", params.join("&"))
        }
    };
    if let Some(name) = focus.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        match ports.actors.actor_named(&caller, name).await? {
            Some(a) => {
                let depth = depth.unwrap_or(1).clamp(1, 3);
                src = format!("/api/v1/actors/{}/neighbors?depth={depth}", a.id);
                focus_id = Some(a.id);
            }
            None => notice = Some(format!("There is no organisation named “{name}”; the whole network is shown.")),
        }
    }
    let mut path = None;
    let mut highlight_src = None;
    let (from, to) = (from.unwrap_or_default(), to.unwrap_or_default());
    if !from.trim().is_empty() || !to.trim().is_empty() {
        let a = ports.actors.actor_named(&caller, &from).await?;
        let b = ports.actors.actor_named(&caller, &to).await?;
        match (a, b) {
            (Some(a), Some(b)) => match ports.graph.path(&caller, &a.id, &b.id).await? {
                Some(p) => {
                    highlight_src = Some(format!("/api/v1/network/path?from={}&to={}", a.id, b.id));
                    path = Some(p);
                }
                None => notice = Some(format!("No chain of relations links “{}” and “{}”.", a.name, b.name)),
            },
            (None, _) => notice = Some(format!("There is no organisation named “{}”.", from.trim())),
            (_, None) => notice = Some(format!("There is no organisation named “{}”.", to.trim())),
        }
    }
    Ok(MapData { kinds: kinds_all, src, highlight_src, focus_id, path, notice })
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// Draws every map on the page whose attributes changed (see /map.js).
    #[wasm_bindgen(js_namespace = MutiraoMap, js_name = mountAll, catch)]
    fn mount_maps() -> Result<(), wasm_bindgen::JsValue>;
}

#[component]
pub fn MapPage() -> impl IntoView {
    let query = use_query_map();
    let one = move |k: &'static str| query.with(|m| m.get(k)).filter(|v| !v.is_empty());
    let kinds = move || query.with(|m| m.get_all("kind")).unwrap_or_default();
    let data = Resource::new(
        move || (kinds(), one("state"), one("focus"), one("depth").and_then(|d| d.parse::<u32>().ok()), one("from"), one("to")),
        |(kinds, state, focus, depth, from, to)| map_page(kinds, state, focus, depth, from, to),
    );
    view! {
        <Title text="Network map" />
        <p class="breadcrumb"><a href="/network">"Network"</a></p>
        <div class="page-head">
            <h1 class="page-title">"Network map"</h1>
        </div>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <MapView data=d chosen=kinds() state=one("state").unwrap_or_default() focus=one("focus").unwrap_or_default()
                        depth=one("depth").unwrap_or_else(|| "1".into()) from=one("from").unwrap_or_default() to=one("to").unwrap_or_default() /> }.into_any(),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MapView(data: MapData, chosen: Vec<String>, state: String, focus: String, depth: String, from: String, to: String) -> AnyView {
    let MapData { kinds, src, highlight_src, focus_id, path, notice } = data;
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        let _ = mount_maps();
    });
    let legend = kinds.clone();
    let path_view = path.map(|p| {
        let steps = p
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let edge = p.edges.get(i).map(|e| {
                    let forward = e.from == n.id;
                    format!("{} {}", if forward { "→" } else { "←" }, relation_kind_label(&e.kind))
                });
                view! {
                    <li><a href=format!("/network/actors/{}", n.id)>{n.name.clone()}</a>" "<span class="muted">{format!("({})", kind_label(&n.kind))}</span>
                        {edge.map(|t| view! { <div class="path-step">{t}</div> })}</li>
                }
            })
            .collect_view();
        view! {
            <section class="card" aria-labelledby="path-title">
                <h2 id="path-title">{format!("Path: {} relations", p.edges.len())}</h2>
                <ol class="path">{steps}</ol>
            </section>
        }
    });
    view! {
        <form class="filter-form" method="get" action="/network/map" aria-label="Map filters">
            <fieldset class="kind-filter">
                <legend>"Kinds"</legend>
                {kinds.iter().map(|k| {
                    let checked = chosen.contains(&k.id);
                    let id = format!("mk-{}", k.id);
                    let for_id = id.clone();
                    view! {
                        <label for=for_id class="check">
                            <input type="checkbox" id=id name="kind" value=k.id.clone() checked=checked />
                            <span class=format!("swatch kind-{}", k.id) aria-hidden="true"></span>{k.label.clone()}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <div class="field">
                <label for="map-state">"State"</label>
                <input id="map-state" name="state" size="3" maxlength="2" placeholder="RS" value=state />
            </div>
            <div class="field">
                <label for="map-focus">"Focus on (name)"</label>
                <input id="map-focus" name="focus" value=focus />
            </div>
            <div class="field">
                <label for="map-depth">"Within"</label>
                <select id="map-depth" name="depth">
                    {["1", "2", "3"].map(|d| { let selected = d == depth; view! { <option value=d selected=selected>{format!("{d} relation{}", if d == "1" { "" } else { "s" })}</option> } }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="map-from">"Path from"</label>
                <input id="map-from" name="from" value=from />
            </div>
            <div class="field">
                <label for="map-to">"to"</label>
                <input id="map-to" name="to" value=to />
            </div>
            <div class="form-actions">
                <button type="submit" class="btn btn-secondary">"Show"</button>
                <a class="btn btn-link" href="/network/map">"Whole network"</a>
            </div>
        </form>
        {notice.map(|n| view! { <div class="alert alert-info" role="status">{n}</div> })}
        {path_view}
        <div class="map-frame">
            <div class="network-map" data-network-map="" data-src=src data-highlight-src=highlight_src data-focus=focus_id
                role="img" aria-label="Map of the network: organisations as dots coloured by kind, relations as lines. Click a dot to open its profile.">
            </div>
            <p class="map-status muted" data-map-status="" role="status"></p>
            <noscript><p class="muted">"The map needs JavaScript. The "<a href="/network">"directory"</a>" lists every organisation."</p></noscript>
        </div>
        <details class="legend">
            <summary>"Legend"</summary>
            <ul class="legend-list">
                {legend.into_iter().map(|k| view! { <li><span class=format!("swatch kind-{}", k.id) aria-hidden="true"></span>{k.label}</li> }).collect_view()}
            </ul>
            <ul class="legend-list">
                {RELATION_KINDS.iter().map(|(k, l)| view! { <li><span class=format!("line rel-{k}") aria-hidden="true"></span>{*l}</li> }).collect_view()}
            </ul>
        </details>
    }
    .into_any()
}

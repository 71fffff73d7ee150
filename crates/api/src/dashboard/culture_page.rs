//! The culture profile editor: each colleague sorts the 54 OCP statements into nine
//! piles with the forced distribution (a select per statement, so it works by keyboard),
//! seeing the pile counts and the seven dimensions change as they sort. Each sort is
//! added to the company's; the profile is their mean, with the raters' agreement.

use super::layout::{Ui, api_problem, page};
use super::session::Signed;
use crate::AppState;
use crate::culture::{company_profile, profile_out, save_sorts};
use crate::error::ApiError;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, PreEscaped, html};
use talentd_analysis::culture::{DISTRIBUTION, items};

/// A valid sort that follows `values`: the highest-valued statements in pile 9, and so
/// down the forced distribution; ties keep the instrument's order.
pub fn sort_following(values: &[f64]) -> Vec<u8> {
    let mut order: Vec<usize> = (0..items().len()).collect();
    order.sort_by(|&a, &b| {
        let va = values.get(a).copied().unwrap_or(5.0);
        let vb = values.get(b).copied().unwrap_or(5.0);
        vb.total_cmp(&va).then(a.cmp(&b))
    });
    let mut out = vec![5u8; items().len()];
    let mut at = 0;
    for (pile_from_top, count) in DISTRIBUTION.iter().rev().enumerate() {
        for &i in order.iter().skip(at).take(*count) {
            out[i] = (9 - pile_from_top) as u8;
        }
        at += count;
    }
    out
}

/// The seven dimensions as bars, each under its name (names are long, in Russian more so).
fn dimension_bars(ui: Ui, dimensions: &std::collections::BTreeMap<String, f64>) -> Markup {
    let row_h = 40;
    html! {
        svg #dimensions role="img" aria-label=(ui.t("culture_dimensions")) viewBox=(format!("0 0 400 {}", dimensions.len() * row_h + 4)) width="100%" style="max-width:560px" {
            @for (n, (d, v)) in dimensions.iter().enumerate() {
                @let y = n * row_h;
                text x="0" y=(y + 14) font-size="15" fill="#1d2330" { (ui.name("dimension", d)) }
                rect x="0" y=(y + 20) width="340" height="14" rx="4" fill="#e3e6ec" {}
                rect data-dimension=(d) x="0" y=(y + 20) width=(format!("{:.1}", 340.0 * v.clamp(0.0, 1.0))) height="14" rx="4" fill="#2f5bd3" {}
                text data-dimension-value=(d) x="348" y=(y + 32) font-size="14" fill="#1d2330" { (format!("{:.0}%", v * 100.0)) }
            }
        }
    }
}

const SCRIPT: &str = r##"
(function () {
  var need = JSON.parse(document.getElementById("qsort").dataset.need);
  var selects = Array.prototype.slice.call(document.querySelectorAll("#qsort select"));
  function update() {
    var count = [0,0,0,0,0,0,0,0,0], dims = {}, ok = true;
    selects.forEach(function (s) {
      var v = +s.value; count[v - 1]++;
      var d = s.dataset.dimension;
      if (d) { dims[d] = dims[d] || [0, 0]; dims[d][0] += v; dims[d][1]++; }
    });
    for (var p = 0; p < 9; p++) {
      var cell = document.getElementById("pile-" + (p + 1));
      cell.textContent = count[p];
      cell.className = count[p] === need[p] ? "" : "error";
      if (count[p] !== need[p]) ok = false;
    }
    Object.keys(dims).forEach(function (d) {
      var v = Math.min(1, Math.max(0, (dims[d][0] / dims[d][1] - 1) / 8));
      var bar = document.querySelector('[data-dimension="' + d + '"]');
      if (bar) bar.setAttribute("width", (340 * v).toFixed(1));
      var t = document.querySelector('[data-dimension-value="' + d + '"]');
      if (t) t.textContent = Math.round(v * 100) + "%";
    });
    document.getElementById("save-sort").disabled = !ok;
  }
  selects.forEach(function (s) { s.addEventListener("change", update); });
  update();
})();
"##;

/// The profile and the editor.
pub async fn show(State(state): State<AppState>, signed: Signed) -> Response {
    render(&state, &signed, StatusCode::OK, None).await
}

async fn render(
    state: &AppState,
    signed: &Signed,
    status: StatusCode,
    error: Option<Markup>,
) -> Response {
    let ui = signed.ui;
    let org = &signed.user.org_id;
    let row = match state.store.get_culture_profile(org).await {
        Ok(r) => r,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let profile = match company_profile(state, org).await {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let out = profile_out(&profile, row.as_ref());
    let start = sort_following(&profile.values);
    let need = serde_json::to_string(&DISTRIBUTION).unwrap_or_default();
    let body = html! {
        h1 { (ui.t("culture")) }
        div.card {
            p.muted #profile-source {
                @if out.source == "default" {
                    (ui.t("no_profile_yet"))
                } @else {
                    (ui.fill("raters", &out.raters.to_string()))
                    @if let Some(a) = out.agreement { " · " (ui.fill("agreement", &format!("{a:.2}"))) }
                }
            }
            (dimension_bars(ui, &out.dimensions))
        }
        form.card #qsort method="post" action="/dashboard/culture" data-need=(need) {
            input type="hidden" name="csrf" value=(signed.session.csrf_token);
            h2 style="margin-top:0;font-size:17px" { (ui.t("your_sort")) }
            p.muted { (ui.t("sort_help")) }
            table #piles aria-describedby="piles-help" {
                tr { @for p in 1..=9 { th scope="col" { (p) } } }
                tr { @for p in 1..=9 { td id=(format!("pile-{p}")) { (DISTRIBUTION[p - 1]) } } }
                tr.muted { @for p in 1..=9 { td { (DISTRIBUTION[p - 1]) } } }
            }
            p.muted #piles-help style="font-size:13px" { (ui.t("piles")) }
            @if let Some(e) = error { (e) }
            table {
                @for (item, pile) in items().iter().zip(&start) {
                    tr {
                        td { label for=(item.id) style="font-weight:normal;margin:0" { (ui.name("ocp", item.id)) } }
                        td style="width:80px" {
                            select id=(item.id) name=(item.id) data-dimension=[item.dimension.map(|d| d.as_str())] {
                                @for p in 1..=9u8 { option value=(p) selected[p == *pile] { (p) } }
                            }
                        }
                    }
                }
            }
            label style="font-weight:normal" {
                input type="checkbox" name="replace" value="1";
                " " (ui.t("replace_sorts"))
            }
            p { button #save-sort type="submit" { (ui.t("save_sort")) } }
        }
        script { (PreEscaped(SCRIPT)) }
    };
    let mut resp = page(signed, ui, "culture", ui.t("culture"), body);
    *resp.status_mut() = status;
    resp
}

/// Adds the signed-in colleague's sort to the company's (or replaces them all).
pub async fn save(
    State(state): State<AppState>,
    signed: Signed,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Response {
    let field = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    if let Err(r) = signed.check_csrf(field("csrf").unwrap_or_default()) {
        return r.into_response();
    }
    let mut sort = Vec::with_capacity(items().len());
    for item in items() {
        match field(item.id).and_then(|v| v.parse::<u8>().ok()) {
            Some(p) => sort.push(p),
            None => {
                let e = html! { p.error role="alert" { (signed.ui.fill("needs_a_pile", signed.ui.name("ocp", item.id))) } };
                return render(&state, &signed, StatusCode::BAD_REQUEST, Some(e)).await;
            }
        }
    }
    let mut sorts = match state.store.get_culture_profile(&signed.user.org_id).await {
        Ok(Some(row)) if field("replace").is_none() => row.sorts,
        Ok(_) => Vec::new(),
        Err(e) => return ApiError::from(e).into_response(),
    };
    sorts.push(sort);
    if sorts.len() > 100 {
        sorts.remove(0);
    }
    match save_sorts(&state, &signed.user.org_id, sorts).await {
        Ok(_) => Redirect::to("/dashboard/culture").into_response(),
        Err(e) if e.status.is_client_error() => {
            let e = api_problem(signed.ui, &e);
            render(&state, &signed, StatusCode::BAD_REQUEST, Some(e)).await
        }
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use talentd_analysis::culture::validate_sort;

    #[test]
    fn the_starting_sort_is_valid_and_follows_the_profile() {
        let values: Vec<f64> = (0..54).map(|i| 1.0 + (i % 9) as f64).collect();
        let sort = sort_following(&values);
        assert!(validate_sort(&sort).is_ok());
        // Item 8 has the top value 9 and comes first among those: it is in pile 9.
        assert_eq!(sort[8], 9);
        assert_eq!(sort[45], 1, "the last lowest-valued item is in pile 1");
        assert!(validate_sort(&sort_following(&[])).is_ok());
    }
}

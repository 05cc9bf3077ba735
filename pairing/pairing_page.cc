#include "pairing/pairing_page.h"

#include "common/json.h"

namespace macula {

namespace {

// The page's own script: sends the codes as JSON with the token, then follows /api/status. A
// refused request is this request's answer alone (#answer): the status is the exchange's.
constexpr std::string_view kScript = R"(
const status = document.getElementById('status'), refusal = document.getElementById('answer');
function show(s) { status.textContent = s.message; status.className = s.phase; }
async function poll() {
  try { show(await (await fetch('/api/status')).json()); } catch (e) {}
  setTimeout(poll, 1500);
}
document.getElementById('pair').addEventListener('submit', async (event) => {
  event.preventDefault();
  const answer = await (await fetch('/api/pair', {method: 'POST',
    headers: {'Content-Type': 'application/json', [TOKEN_HEADER]: TOKEN},
    body: JSON.stringify({console_code: document.getElementById('console-code').value,
                          portal_code: document.getElementById('portal-code').value})})).json();
  const refused = answer.phase === 'refused';
  refusal.textContent = refused ? answer.message : '';
  refusal.className = refused ? 'refused' : '';
  if (!refused) show(answer);
});
poll();
)";

constexpr std::string_view kStyle = R"(
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 36rem; padding: 1rem; color: #1b2430; }
h1 { font-size: 1.4rem; } dl { display: grid; grid-template-columns: auto 1fr; gap: .3rem .8rem; }
dt { color: #5b6675; } dd { margin: 0; overflow-wrap: anywhere; font-family: ui-monospace, monospace; }
label { display: block; margin-top: .8rem; } input { font-size: 1.2rem; width: 100%; box-sizing: border-box; padding: .5rem; }
button { margin-top: 1rem; font-size: 1.1rem; padding: .6rem 1.4rem; }
#status, #answer.refused { margin-top: 1rem; padding: .8rem; border-radius: .4rem; background: #eef2f6; }
#status.paired { background: #dcf5e3; } #status.failed, #answer.refused { background: #fbe3e3; }
img { width: 9rem; float: right; margin-left: 1rem; }
)";

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  for (const char c : text) switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  return out;
}

std::string pairing_page(const PageFacts& facts) {
  std::string addresses;
  for (const std::string& address : facts.addresses) addresses += (addresses.empty() ? "" : ", ") + address;
  const std::string host = html_escape(facts.hostname);
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<title>Pair " + host + "</title>\n<style>" + std::string(kStyle) + "</style></head>\n<body>\n"
         "<h1>Pair " + host + " with the Portal</h1>\n"
         "<img src=\"/qr.svg\" alt=\"QR code of http://" + host + ".local\">\n"
         "<dl><dt>Node</dt><dd id=\"hostname\">" + host + "</dd>"
         "<dt>Address</dt><dd>" + html_escape(addresses.empty() ? "none yet" : addresses) + "</dd>"
         "<dt>Identity</dt><dd id=\"fingerprint\">" + html_escape(facts.fingerprint) + "</dd>"
         "<dt>Portal</dt><dd>" + html_escape(facts.portal_url) + "</dd></dl>\n"
         "<ol><li>Check that the identity above is the one the node's screen shows.</li>"
         "<li>Type the console code the node's screen shows.</li>"
         "<li>Open the Portal, choose <em>Add a node</em>, and type the pairing code it shows.</li>"
         "<li>Before the Portal adds the node, check that it shows the identity on the node's screen, <span "
         "id=\"portal-fingerprint\">" + html_escape(facts.fingerprint) + "</span>: another one means another machine "
         "asked with your code. Do not add it.</li></ol>\n"
         "<form id=\"pair\"><label for=\"console-code\">Console code (on the node's screen)</label>"
         "<input id=\"console-code\" autocomplete=\"off\" autocapitalize=\"characters\" placeholder=\"ABC-123\" required>"
         "<label for=\"portal-code\">Portal pairing code</label>"
         "<input id=\"portal-code\" autocomplete=\"off\" autocapitalize=\"characters\" required>"
         "<button type=\"submit\">Pair</button></form>\n"
         "<div id=\"answer\" role=\"alert\"></div>\n"
         "<div id=\"status\" role=\"status\">Waiting for the codes.</div>\n"
         "<script>const TOKEN = " + json_quote(facts.page_token) +
         ", TOKEN_HEADER = " + json_quote(kPageTokenHeader) + ";" + std::string(kScript) + "</script>\n"
         "</body></html>\n";
}

}  // namespace macula

#include "setup/sys/wizard.h"

#define _XOPEN_SOURCE_EXTENDED 1
#include <ncursesw/curses.h>

#include <clocale>
#include <cstdio>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "common/files.h"
#include "common/sys/interface_addresses.h"
#include "common/terminal.h"
#include "common/text_lines.h"
#include "config/network.h"
#include "identity/node_identity.h"
#include "setup/wizard_pages.h"
#include "names/names.h"

namespace macula {

namespace {

// The plan's mark, the node graph beside the wordmark: the image's one copy, which /etc/issue
// and the motd are made from (rootfs/customize.sh).

// The terminal in curses mode for the wizard's life (newterm, unlike initscr, returns an error
// instead of exiting when the terminal is unknown).
class CursesScreen {
 public:
  static Result<CursesScreen> open() {
    const char* term = std::getenv("TERM");
    SCREEN* screen = newterm(nullptr, stdout, stdin);
    if (!screen) return fail(std::string("TERM=") + (term ? term : "(unset)") + ": not a terminal curses knows (run maculaos setup --unattended)");
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    curs_set(0);
    return CursesScreen(screen);
  }
  CursesScreen(CursesScreen&& other) noexcept : screen_(std::exchange(other.screen_, nullptr)) {}
  CursesScreen& operator=(CursesScreen&&) = delete;
  ~CursesScreen() {
    if (!screen_) return;
    endwin();
    delscreen(screen_);
  }

  // Runs work with the terminal in line mode (its progress bars and messages), then gives the
  // screen back to the wizard.
  template <class Work>
  auto line_mode(Work work) {
    def_prog_mode();
    endwin();
    auto result = work();
    std::fflush(stdout);
    reset_prog_mode();
    clear();
    return result;
  }

 private:
  explicit CursesScreen(SCREEN* screen) : screen_(screen) {}
  SCREEN* screen_;
};

// The Summary's QR code sits beside its text on a terminal this wide (a version-3 code with its
// quiet zone is 33 columns), below it on a narrower one.
constexpr int kQrBesideColumns = 80;
constexpr int kQrColumn = 46;

// How wide a page's text may be: beside the QR code, what is left of it.
int text_width(WizardStep step) {
  return step == WizardStep::summary && COLS >= kQrBesideColumns ? kQrColumn - 4 : 76;
}

struct Page {
  std::vector<std::string> lines;
  std::string action;  // what Enter does here: the step's work until it is done, then "next"
};

struct Wizard {
  Wizard(const SetupRun& setup, bool utf8_terminal) : run(setup), utf8(utf8_terminal) {
    // no Flux version or no repository configured: nothing for their steps to do
    done[step_number(WizardStep::flux) - 1] = setup.settings.flux_version.empty();
    done[step_number(WizardStep::gitops) - 1] = done[step_number(WizardStep::console) - 1] = !setup.settings.gitops;
  }

  const SetupRun& run;
  bool utf8;
  WizardStep step = WizardStep::welcome;
  bool done[kWizardStepCount] = {};
  std::string result;  // the last run of this step's work: what it did, or what failed
  bool failed = false;
  std::string fingerprint;
  std::optional<NodeSummary> summary;

  bool& step_done() { return done[step_number(step) - 1]; }
  bool step_done() const { return done[step_number(step) - 1]; }
};

std::vector<std::string> wrapped(const std::string& text, int width) {
  std::vector<std::string> lines;
  std::istringstream words(text);
  std::string line;
  for (std::string word; words >> word;) {
    if (!line.empty() && static_cast<int>(line.size() + 1 + word.size()) > width) lines.push_back(std::exchange(line, ""));
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

Page page_of(const Wizard& w) {
  const SetupSettings& s = w.run.settings;
  Page page{{}, "next"};
  auto say = [&](const std::string& text) {
    for (std::string& line : wrapped(text, text_width(w.step))) page.lines.push_back(std::move(line));
  };
  switch (w.step) {
    case WizardStep::welcome:
      for (std::string_view line : text_lines(read_file(kLogoPath).value_or(""))) page.lines.emplace_back(line);
      page.lines.emplace_back();
      say("This wizard sets up this node: it checks the network, makes the node's identity, downloads "
          "k3s " + s.k3s_version + " and the Flux CLI (verified against their releases' SHA-256 sums), "
          "starts k3s and shows how to reach the node.");
      page.lines.emplace_back();
      say("Enter goes on, b goes back, q quits (run sudo maculaos setup to come back).");
      break;
    case WizardStep::network: {
      page.lines.push_back("Interface  State Address");
      auto addresses = interface_addresses();
      const std::string plan = read_file(kNetworkPlanPath).value_or("");
      for (std::string& line : network_lines(addresses ? *addresses : std::vector<InterfaceAddress>{}, plan))
        page.lines.push_back("  " + line);
      page.lines.emplace_back();
      say("Download source: " + s.source);
      say("Addresses come from maculaos.network in the node config (DHCP unless it says otherwise).");
      page.action = "check the source";
      break;
    }
    case WizardStep::identity:
      say("The node's identity is an Ed25519 keypair, made once and kept in " + std::string(kNodeIdentityDir) +
          " (the private key readable by root only). Pairing and peers know the node by it.");
      if (w.step_done()) page.lines.push_back("Fingerprint: " + w.fingerprint);
      page.action = "make or read the key";
      break;
    case WizardStep::k3s:
      say("k3s " + s.k3s_version + " (" + w.run.k3s_mode + ") from " + s.source + ": downloaded, verified, installed "
          "into /opt/macula/bin, started as the k3s service, then waited for until it answers.");
      if (is_live_session()) say("This is a live session: what is installed lives in RAM until the next boot.");
      page.action = "install and start k3s";
      break;
    case WizardStep::flux:
      if (s.flux_version.empty()) {
        say("No maculaos.setup.flux_version in the node config: the Flux CLI is left out.");
      } else {
        say("The Flux CLI " + s.flux_version + " from " + s.source + ": downloaded, verified, installed.");
      }
      page.action = "install the Flux CLI";
      break;
    case WizardStep::gitops:
      if (s.gitops) {
        say("Flux follows the Git repository " + s.gitops->url + ", branch " + s.gitops->branch + ", path " +
            s.gitops->path + ": its manifests (a GitRepository and a Kustomization) are written for the Console step.");
      } else {
        say("No maculaos.setup.gitops.url in the node config: Flux is given no repository to follow (set it, then "
            "run sudo maculaos setup again).");
      }
      page.action = "write the manifests";
      break;
    case WizardStep::console:
      if (!s.gitops) {
        say("No GitOps repository: nothing to apply to the cluster.");
      } else if (w.run.k3s_mode == "agent") {
        say("This node is an agent: its server holds the cluster's GitOps.");
      } else {
        say("Flux's controllers (flux install --export) and the GitOps manifests are applied to the cluster through "
            "k3s's kubeconfig.");
      }
      page.action = "apply the manifests";
      break;
    case WizardStep::summary:
      if (w.summary) {
        page.lines.push_back("This node is set up. On the LAN:");
        page.lines.push_back("  " + w.summary->url);
        // "SHA256:" and 43 characters: the hash on a line of its own, to fit beside the code
        const std::string& fingerprint = w.summary->fingerprint;
        const std::size_t colon = fingerprint.find(':') + 1;
        page.lines.push_back("Identity: " + fingerprint.substr(0, colon));
        page.lines.push_back(fingerprint.substr(colon));
        page.lines.emplace_back();
        say("k3s runs: sudo kubectl get nodes; flux is on the PATH. maculaos sysinfo shows the node, maculaos peers the others.");
      }
      page.action = "finish";
      break;
  }
  if (step_has_work(w.step) && w.step_done()) page.action = "next";  // what it did is on the page
  return page;
}

void draw(const Wizard& w) {
  const Page page = page_of(w);
  erase();
  attron(A_REVERSE);
  mvhline(0, 0, ' ', COLS);
  mvaddnstr(0, 1, "MaculaOS setup", COLS - 1);
  const std::string where = "Step " + std::to_string(step_number(w.step)) + " of " + std::to_string(kWizardStepCount) +
                            ": " + std::string(step_title(w.step));
  mvaddnstr(0, std::max(16, COLS - static_cast<int>(where.size()) - 1), where.c_str(), -1);
  attroff(A_REVERSE);
  int row = 2;
  for (const std::string& line : page.lines) mvaddnstr(row++, 2, line.c_str(), COLS - 3);
  if (w.step == WizardStep::summary && w.summary) {
    // The QR code beside the text at 80 columns, below it on a narrower terminal.
    const std::string qr = w.utf8 ? qr_text(w.summary->qr, true) : "";
    const bool beside = COLS >= kQrBesideColumns;
    int qr_row = beside ? 2 : row + 1;
    const int qr_col = beside ? kQrColumn : 2;
    if (qr.empty()) mvaddnstr(row + 1, 2, "(the QR code of the address needs a UTF-8 terminal)", COLS - 3);
    std::istringstream lines(qr);
    for (std::string line; std::getline(lines, line);) mvaddstr(qr_row++, qr_col, line.c_str());
  }
  if (!w.result.empty()) {
    int at = LINES - 2 - static_cast<int>(wrapped(w.result, COLS - 4).size());
    if (w.failed) attron(A_BOLD);
    for (const std::string& line : wrapped(w.result, COLS - 4)) mvaddnstr(at++, 2, line.c_str(), COLS - 3);
    if (w.failed) attroff(A_BOLD);
  }
  const std::string keys = " Enter: " + page.action + (step_has_work(w.step) && w.step_done() ? "   r: run again" : "") +
                           (w.step == WizardStep::welcome ? "" : "   b: back") + "   q: quit";
  attron(A_REVERSE);
  mvhline(LINES - 1, 0, ' ', COLS);
  mvaddnstr(LINES - 1, 0, keys.c_str(), COLS);
  attroff(A_REVERSE);
  refresh();
}

WizardKey key_of(int ch) {
  switch (ch) {
    case '\n': case '\r': case KEY_ENTER: case KEY_RIGHT: case ' ': case 'n':
      return WizardKey::next;
    case 'r':
      return WizardKey::retry;
    case 'b': case KEY_LEFT: case KEY_BACKSPACE: case 127: case 8:
      return WizardKey::back;
    case 'q': case 'Q': case 27:
      return WizardKey::quit;
    default:
      return WizardKey::other;
  }
}

// What a step's work did, for its page: the text when it worked, else its error.
Result<std::string> said(const Result<void>& worked, std::string text) {
  if (!worked) return fail(worked.error());
  return text;
}

// A step's work, with the terminal in line mode when it prints (downloads); its outcome goes to
// the page.
void run_step(Wizard& w, CursesScreen& screen) {
  Result<std::string> outcome = std::string();
  switch (w.step) {
    case WizardStep::network:
      outcome = said(check_source(w.run), "The download source answers: " + w.run.settings.source);
      break;
    case WizardStep::identity:
      if (auto fingerprint = node_fingerprint()) {
        w.fingerprint = std::move(*fingerprint);
        outcome = "The node's identity is ready.";
      } else {
        outcome = fail(fingerprint.error());
      }
      break;
    case WizardStep::k3s:
      outcome = screen.line_mode([&] {
        std::printf("\n== k3s %s ==\n", w.run.settings.k3s_version.c_str());
        return said(run_k3s_step(w.run), "k3s " + w.run.settings.k3s_version + " runs and answers.");
      });
      break;
    case WizardStep::flux:
      outcome = screen.line_mode([&] {
        std::printf("\n== Flux CLI %s ==\n", w.run.settings.flux_version.c_str());
        return said(install_flux(w.run), "The Flux CLI " + w.run.settings.flux_version + " is installed.");
      });
      break;
    case WizardStep::gitops:
      if (auto written = write_gitops_manifests(w.run)) {
        outcome = "The GitOps manifests are in " + *written + ".";
      } else {
        outcome = fail(written.error());
      }
      break;
    case WizardStep::console:
      outcome = screen.line_mode([&] {
        std::printf("\n== Console ==\n");
        return apply_gitops(w.run);
      });
      break;
    case WizardStep::welcome:
    case WizardStep::summary:
      break;
  }
  w.failed = !outcome.has_value();
  w.result = outcome ? *outcome : outcome.error().text() + " (r or Enter: try again; q: quit)";
  w.step_done() = outcome.has_value();
}

// Reaching the Summary finishes setup: the node's address and identity, and the flag.
void enter_summary(Wizard& w) {
  auto summary = node_summary();
  Result<void> marked = summary ? mark_configured() : fail(summary.error());
  if (summary) w.summary = std::move(*summary);
  w.failed = !marked.has_value();
  w.result = marked ? "" : marked.error().text();
}

}  // namespace

Result<int> run_wizard(const SetupRun& run) {
  std::setlocale(LC_ALL, "");
  auto screen = CursesScreen::open();
  if (!screen) return fail(screen.error());
  Wizard w(run, terminal_utf8());
  for (;;) {
    draw(w);
    const int ch = getch();
    if (ch == KEY_RESIZE) continue;  // drawn again at the new size
    const WizardMove move = wizard_move(w.step, w.step_done(), key_of(ch));
    switch (move.kind) {
      case WizardMove::stay:
        break;
      case WizardMove::run_step:
        w.result = "Working...";
        w.failed = false;
        draw(w);
        run_step(w, *screen);
        break;
      case WizardMove::go_to:
        w.step = move.to;
        w.result.clear();
        w.failed = false;
        if (w.step == WizardStep::summary) enter_summary(w);
        break;
      case WizardMove::quit:
        if (w.step == WizardStep::summary && w.summary && !w.failed) return 0;
        return fail("left at step " + std::to_string(step_number(w.step)) + " (" + std::string(step_title(w.step)) +
                    "): run sudo maculaos setup to go on");
    }
  }
}

}  // namespace macula

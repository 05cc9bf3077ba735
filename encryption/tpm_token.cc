#include "encryption/tpm_token.h"

#include <charconv>

#include "common/base64.h"
#include "common/json.h"
#include "common/json_fields.h"

namespace macula {

namespace {

std::string_view as_text(const tpm2::Bytes& bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

Result<tpm2::Bytes> blob(json_object* token, const char* field) {
  const char* text = field_string(token, field);
  if (!text) return fail(std::string("the TPM token has no ") + field);
  auto bytes = base64_bytes(text, std::string("the TPM token's ") + field);
  if (!bytes) return fail(bytes.error());
  return tpm2::Bytes(bytes->begin(), bytes->end());
}

}  // namespace

std::string tpm_token_json(const SealedSecret& sealed) {
  const std::string srk =
      sealed.srk_public.empty() ? "" : ",\"tpm2-srk\":" + json_quote(base64_text(as_text(sealed.srk_public), true));
  std::string pcrs;
  for (int pcr : sealed.pcrs) pcrs += (pcrs.empty() ? "" : ",") + std::to_string(pcr);
  // LUKS2 wants "keyslots" in every token; the keyslot is tied to it afterwards.
  return "{\"type\":" + json_quote(kTpmTokenType) + ",\"keyslots\":[]," +
         "\"tpm2-private\":" + json_quote(base64_text(as_text(sealed.private_area), true)) + "," +
         "\"tpm2-public\":" + json_quote(base64_text(as_text(sealed.public_area), true)) + "," +
         "\"tpm2-pcrs\":[" + pcrs + "]" + srk + "}";
}

Result<SealedSecret> parse_tpm_token(std::string_view json) {
  auto token = parse_json_object(json, "the TPM token");
  if (!token) return fail(token.error());
  const char* type = field_string(token->get(), "type");
  if (!type || type != kTpmTokenType) return fail("the token is not of type " + std::string(kTpmTokenType));
  SealedSecret sealed;
  auto private_area = blob(token->get(), "tpm2-private");
  if (!private_area) return fail(private_area.error());
  auto public_area = blob(token->get(), "tpm2-public");
  if (!public_area) return fail(public_area.error());
  sealed.private_area = std::move(*private_area);
  sealed.public_area = std::move(*public_area);
  if (field_string(token->get(), "tpm2-srk")) {  // absent from tokens made before it was recorded
    auto srk_public = blob(token->get(), "tpm2-srk");
    if (!srk_public) return fail(srk_public.error());
    sealed.srk_public = std::move(*srk_public);
  }
  json_object* pcrs = nullptr;
  if (!json_object_object_get_ex(token->get(), "tpm2-pcrs", &pcrs) || !json_object_is_type(pcrs, json_type_array))
    return fail("the TPM token has no tpm2-pcrs list");
  for (std::size_t i = 0; i < json_object_array_length(pcrs); ++i) {
    json_object* pcr = json_object_array_get_idx(pcrs, i);
    const int n = json_object_get_int(pcr);
    if (!json_object_is_type(pcr, json_type_int) || n < 0 || n > 23)
      return fail("the TPM token's tpm2-pcrs: expected PCR numbers from 0 to 23");
    sealed.pcrs.push_back(n);
  }
  return sealed;
}

Result<std::vector<int>> parse_pcr_list(std::string_view text) {
  std::vector<int> pcrs;
  if (text.ends_with(',')) text = ",";  // an empty last item, refused below
  while (!text.empty()) {
    const std::string_view item = text.substr(0, text.find(','));
    int pcr = -1;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), pcr);
    if (ec != std::errc() || end != item.data() + item.size() || pcr < 0 || pcr > 23)
      return fail("'" + std::string(item) + "': expected PCR numbers from 0 to 23, separated by commas (e.g. 7)");
    pcrs.push_back(pcr);
    text.remove_prefix(std::min(text.size(), item.size() + 1));
  }
  return pcrs;
}

}  // namespace macula

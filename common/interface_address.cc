#include "common/interface_address.h"

namespace macula {

std::vector<std::string> address_texts(const std::vector<InterfaceAddress>& addresses) {
  std::vector<std::string> texts;
  for (const InterfaceAddress& a : addresses) texts.push_back(a.address);
  return texts;
}

}  // namespace macula

#include "devices/rtc/register_constants.hpp"

#include "devices/rtc/cmos_layout.hpp"
#include "devices/rtc/registers.hpp"

#include <array>

namespace devices::rtc {

namespace {

constexpr auto k_constants = std::to_array<devices::RegisterConstant>({
    {"index", "INDEX", CmosIndex::k_index_mask},
    {"index", "NMI_DISABLE", CmosIndex::k_nmi_disable},
    {"register_a", "RS", RegisterA::k_rs_mask},
    {"register_a", "DV", RegisterA::k_dv_mask},
    {"register_a", "UIP", RegisterA::k_uip},
    {"register_b", "DSE", RegisterB::k_dse},
    {"register_b", "24H", RegisterB::k_24h},
    {"register_b", "DM", RegisterB::k_dm},
    {"register_b", "SQWE", RegisterB::k_sqwe},
    {"register_b", "UIE", RegisterB::k_uie},
    {"register_b", "AIE", RegisterB::k_aie},
    {"register_b", "PIE", RegisterB::k_pie},
    {"register_b", "SET", RegisterB::k_set},
    {"register_c", "UF", RegisterC::k_uf},
    {"register_c", "AF", RegisterC::k_af},
    {"register_c", "PF", RegisterC::k_pf},
    {"register_c", "IRQF", RegisterC::k_irqf},
    {"register_d", "VRT", RegisterD::k_vrt},
    {"hours", "PM", k_hours_pm},
    {"alias_7e", "TARGET", CmosIndex::k_index_mask},
    {"alias_7f", "TARGET", CmosIndex::k_index_mask},
});

}  // namespace

std::span<const devices::RegisterConstant> register_constants() { return k_constants; }

}  // namespace devices::rtc

#include "devices/uart/register_constants.hpp"

#include "devices/uart/registers.hpp"

#include <array>

namespace devices::uart {

namespace {

constexpr auto k_constants = std::to_array<devices::RegisterConstant>({
    {"ier", "ERBFI", InterruptEnable::k_erbfi},
    {"ier", "ETBEI", InterruptEnable::k_etbei},
    {"ier", "ELSI", InterruptEnable::k_elsi},
    {"ier", "EDSSI", InterruptEnable::k_edssi},
    {"iir", "nPENDING", InterruptIdent::k_no_pending},
    {"iir", "IID", InterruptIdent::k_iid_mask},
    {"iir", "FIFOS", InterruptIdent::k_fifos_mask},
    {"fcr", "ENABLE", FifoControl::k_enable},
    {"fcr", "RX_RESET", FifoControl::k_rx_reset},
    {"fcr", "TX_RESET", FifoControl::k_tx_reset},
    {"fcr", "DMA_MODE", FifoControl::k_dma_mode},
    {"fcr", "TRIGGER", FifoControl::k_trigger_mask},
    {"lcr", "WLS", LineControl::k_wls_mask},
    {"lcr", "STB", LineControl::k_stb},
    {"lcr", "PEN", LineControl::k_pen},
    {"lcr", "EPS", LineControl::k_eps},
    {"lcr", "STICK", LineControl::k_stick},
    {"lcr", "BREAK", LineControl::k_break},
    {"lcr", "DLAB", LineControl::k_dlab},
    {"mcr", "DTR", ModemControl::k_dtr},
    {"mcr", "RTS", ModemControl::k_rts},
    {"mcr", "OUT1", ModemControl::k_out1},
    {"mcr", "OUT2", ModemControl::k_out2},
    {"mcr", "LOOP", ModemControl::k_loop},
    {"lsr", "DR", LineStatus::k_dr},
    {"lsr", "OE", LineStatus::k_oe},
    {"lsr", "PE", LineStatus::k_pe},
    {"lsr", "FE", LineStatus::k_fe},
    {"lsr", "BI", LineStatus::k_bi},
    {"lsr", "THRE", LineStatus::k_thre},
    {"lsr", "TEMT", LineStatus::k_temt},
    {"lsr", "RXFE", LineStatus::k_rxfe},
    {"msr", "DCTS", ModemStatus::k_dcts},
    {"msr", "DDSR", ModemStatus::k_ddsr},
    {"msr", "TERI", ModemStatus::k_teri},
    {"msr", "DDCD", ModemStatus::k_ddcd},
    {"msr", "CTS", ModemStatus::k_cts},
    {"msr", "DSR", ModemStatus::k_dsr},
    {"msr", "RI", ModemStatus::k_ri},
    {"msr", "DCD", ModemStatus::k_dcd},
});

}  // namespace

std::span<const devices::RegisterConstant> register_constants() { return k_constants; }

}  // namespace devices::uart

#include "devices/ide/register_constants.hpp"

#include "devices/ide/registers.hpp"

#include <array>

namespace devices::ide {

namespace {

using devices::RegisterConstant;

constexpr std::array k_constants{
    RegisterConstant{"status", "ERR", StatusReg::k_err},
    RegisterConstant{"status", "IDX", StatusReg::k_idx},
    RegisterConstant{"status", "CORR", StatusReg::k_corr},
    RegisterConstant{"status", "DRQ", StatusReg::k_drq},
    RegisterConstant{"status", "DSC", StatusReg::k_dsc},
    RegisterConstant{"status", "DF", StatusReg::k_df},
    RegisterConstant{"status", "DRDY", StatusReg::k_drdy},
    RegisterConstant{"status", "BSY", StatusReg::k_bsy},

    RegisterConstant{"error", "AMNF", ErrorReg::k_amnf},
    RegisterConstant{"error", "TK0NF", ErrorReg::k_tk0nf},
    RegisterConstant{"error", "ABRT", ErrorReg::k_abrt},
    RegisterConstant{"error", "MCR", ErrorReg::k_mcr},
    RegisterConstant{"error", "IDNF", ErrorReg::k_idnf},
    RegisterConstant{"error", "MC", ErrorReg::k_mc},
    RegisterConstant{"error", "UNC", ErrorReg::k_unc},
    RegisterConstant{"error", "BBK", ErrorReg::k_bbk},

    RegisterConstant{"atapi_error", "ILI", AtapiErrorReg::k_ili},
    RegisterConstant{"atapi_error", "EOM", AtapiErrorReg::k_eom},
    RegisterConstant{"atapi_error", "ABRT", AtapiErrorReg::k_abrt},
    RegisterConstant{"atapi_error", "MCR", AtapiErrorReg::k_mcr},
    RegisterConstant{"atapi_error", "SENSE_KEY", AtapiErrorReg::k_sense_key_mask},

    RegisterConstant{"interrupt_reason", "CoD", InterruptReasonReg::k_cod},
    RegisterConstant{"interrupt_reason", "IO", InterruptReasonReg::k_io},
    RegisterConstant{"interrupt_reason", "REL", InterruptReasonReg::k_rel},

    RegisterConstant{"device_head", "HEAD", DeviceHeadReg::k_head_mask},
    RegisterConstant{"device_head", "DEV", DeviceHeadReg::k_dev},
    RegisterConstant{"device_head", "OBS5", DeviceHeadReg::k_obs5},
    RegisterConstant{"device_head", "LBA", DeviceHeadReg::k_lba},
    RegisterConstant{"device_head", "OBS7", DeviceHeadReg::k_obs7},

    RegisterConstant{"device_control", "nIEN", DeviceControlReg::k_nien},
    RegisterConstant{"device_control", "SRST", DeviceControlReg::k_srst},
    RegisterConstant{"device_control", "HOB", DeviceControlReg::k_hob},

    RegisterConstant{"bus_master_command", "START", BusMasterCommandReg::k_start},
    RegisterConstant{"bus_master_command", "READ", BusMasterCommandReg::k_read},

    RegisterConstant{"bus_master_status", "ACTIVE", BusMasterStatusReg::k_active},
    RegisterConstant{"bus_master_status", "ERROR", BusMasterStatusReg::k_error},
    RegisterConstant{"bus_master_status", "INTERRUPT", BusMasterStatusReg::k_interrupt},
    RegisterConstant{"bus_master_status", "DRIVE0_DMA_CAPABLE", BusMasterStatusReg::k_drive0_dma_capable},
    RegisterConstant{"bus_master_status", "DRIVE1_DMA_CAPABLE", BusMasterStatusReg::k_drive1_dma_capable},
    RegisterConstant{"bus_master_status", "SIMPLEX", BusMasterStatusReg::k_simplex},

    RegisterConstant{"prd_table_address", "BASE", k_prd_table_address_mask},
};

}  // namespace

std::span<const devices::RegisterConstant> register_constants() { return k_constants; }

}  // namespace devices::ide

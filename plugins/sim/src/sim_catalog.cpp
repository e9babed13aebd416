#include "sim_catalog.hpp"

#include <array>

namespace lmharvest::sim {
namespace {

using enum FeatureSize;

// Feature names are the ones these vendors really use, so that a demo's harvest rules and a
// reader's eye both recognise them. Each list keeps the uncounted feature fourth, so that the
// default six features include one.
constexpr std::array mathworks{
    FeatureTemplate{"MATLAB", large},
    FeatureTemplate{"SIMULINK", medium},
    FeatureTemplate{"Image_Toolbox", small},
    FeatureTemplate{"MATLAB_Distrib_Comp_Engine", uncounted},
    FeatureTemplate{"Signal_Toolbox", small},
    FeatureTemplate{"Optimization_Toolbox", medium},
    FeatureTemplate{"Statistics_Toolbox", medium},
    FeatureTemplate{"Control_Toolbox", small},
    FeatureTemplate{"Curve_Fitting_Toolbox", small},
    FeatureTemplate{"Distrib_Computing_Toolbox", small},
    FeatureTemplate{"Compiler", small},
    FeatureTemplate{"Simulink_Control_Design", small},
};

constexpr std::array esri{
    FeatureTemplate{"ARC/INFO", large},
    FeatureTemplate{"desktopAdvP", medium}, // ArcGIS Pro Advanced
    FeatureTemplate{"spatialAnalystP", small},
    FeatureTemplate{"Viewer", uncounted},
    FeatureTemplate{"3DAnalystP", small},
    FeatureTemplate{"desktopStdP", medium},
    FeatureTemplate{"networkAnalystP", small},
    FeatureTemplate{"Plotting", medium},
    FeatureTemplate{"geostatAnalystP", small},
    FeatureTemplate{"MrSID", medium},
    FeatureTemplate{"dataReViewerP", small},
    FeatureTemplate{"Grid", small},
};

constexpr std::array autodesk{
    FeatureTemplate{"ACD_T_F", large}, // AutoCAD
    FeatureTemplate{"RVT_T_F", medium},       FeatureTemplate{"INVPROSA_T_F", small},
    FeatureTemplate{"AECCOL_T_F", uncounted}, FeatureTemplate{"CIV3D_T_F", small},
    FeatureTemplate{"ARCHDESK_T_F", medium},  FeatureTemplate{"MAYA_T_F", small},
    FeatureTemplate{"3DSMAX_T_F", small},     FeatureTemplate{"NAVSIM_T_F", small},
    FeatureTemplate{"PLNT3D_T_F", small},     FeatureTemplate{"MEPCS_T_F", small},
    FeatureTemplate{"ACDLT_T_F", medium},
};

constexpr std::array altair{
    FeatureTemplate{"HyperWorks", large},    FeatureTemplate{"HWHyperMesh", medium},
    FeatureTemplate{"HWFlux2D", small},      FeatureTemplate{"HWActivate", uncounted},
    FeatureTemplate{"HWOptiStruct", small},  FeatureTemplate{"HWInspire", medium},
    FeatureTemplate{"HWRadioss", small},     FeatureTemplate{"HWAcuSolve", small},
    FeatureTemplate{"HWFEKO", small},        FeatureTemplate{"HWMotionSolve", small},
    FeatureTemplate{"GlobalZoneEU", medium}, FeatureTemplate{"CatiaV5Reader", small},
};

constexpr std::array profiles{
    VendorProfile{"MLM", "v11.19.6", "52", "31-mar-2030", "27000", true, true, true, mathworks},
    VendorProfile{"ARCGIS", "v11.16.2", "10.1", "permanent", "27000", true, true, false, esri},
    VendorProfile{"adskflex", "v11.18.0", "1.000", "permanent", "27000", true, true, false,
                  autodesk},
    VendorProfile{"ALTAIR", "v5.1", "21.0", "2030-12-31", "6200", false, false, false, altair},
};

using namespace std::string_view_literals;
constexpr std::array surnames{
    "smith"sv,   "garcia"sv,   "chen"sv,   "kumar"sv,  "nguyen"sv,    "mueller"sv, "rossi"sv,
    "tanaka"sv,  "kowalski"sv, "silva"sv,  "ivanov"sv, "martin"sv,    "dubois"sv,  "jansen"sv,
    "olsen"sv,   "brown"sv,    "lopez"sv,  "wang"sv,   "patel"sv,     "kim"sv,     "novak"sv,
    "schmidt"sv, "costa"sv,    "murphy"sv, "singh"sv,  "sato"sv,      "berg"sv,    "moreau"sv,
    "fischer"sv, "haddad"sv,   "okafor"sv, "larsen"sv, "weber"sv,     "romano"sv,  "yilmaz"sv,
    "popescu"sv, "walsh"sv,    "ahmed"sv,  "park"sv,   "lindqvist"sv,
};

} // namespace

std::span<const VendorProfile> vendor_profiles() {
    return profiles;
}

const VendorProfile* find_vendor_profile(std::string_view name) {
    for (const VendorProfile& profile : profiles)
        if (profile.name == name)
            return &profile;
    return nullptr;
}

std::span<const std::string_view> login_surnames() {
    return surnames;
}

} // namespace lmharvest::sim

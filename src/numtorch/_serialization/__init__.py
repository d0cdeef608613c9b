"""The machinery behind ``numtorch.save`` / ``numtorch.load`` (see ``numtorch.serialization``).

``names``           torch's names for what a checkpoint holds, both ways
``storages``        which tensors share memory, so they are written as one storage (saving)
``pickler``         a pickler that writes tensors the way torch does
``archive``         the zip container: aligned records, atomic writes, reading records back
``storage_loader``  persistent ids back to storages, and ``map_location`` (loading)
``unpickler``       weights-only and full unpicklers, and the tensor rebuild functions
``legacy``          the pre-1.6 non-zip format
"""

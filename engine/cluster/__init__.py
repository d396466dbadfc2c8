"""Running the model stage of the face, tag and quality jobs on a Dask cluster.

The job process stays the catalog's one writer: it sends each photo (its bytes, or its path
on a share the workers mount) and the job's ``engine.analysis.Work`` to ``termkam worker``
processes, and writes what comes back in its own transactions, as a local run does.

- ``settings``: the ``compute.`` settings (address, path map, TLS files);
- ``address``: which addresses are allowed, and Dask's security for them;
- ``transfer``: what goes to a worker for a photo, and the check of what it read;
- ``remote``: what runs on a worker (the models, opened once per worker thread);
- ``executor``: the job's side (submit, collect, cancel);
- ``worker``: the ``termkam worker`` process.

Nothing here imports Dask until a cluster is used: it is the optional ``termkam[cluster]``.
"""
